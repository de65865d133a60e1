import Catalog
import Logging
import Storage

/// What one run did for one destination.
public struct DestinationRunResult: Sendable {
    public let destinationID: String
    public var deliveredFiles = 0
    public var deliveredBytes: Int64 = 0
    /// Files still owed after the run.
    public var pendingFiles = 0
    public var pendingBytes: Int64 = 0
    /// Why the run stopped early; nil when everything owed was delivered.
    public var error: DeliveryError?

    public init(destinationID: String) {
        self.destinationID = destinationID
    }
}

/// Copies one destination's work items, one at a time, recording each in the ledger only after the bucket has
/// it. Transient failures are retried with backoff; anything else stops this destination's run (and only it).
public struct DestinationCopier: Sendable {
    let ledger: any DestinationCatalog
    let staging: any ArchiveStore
    let attempts: Int
    let backoff: Backoff
    let sleep: @Sendable (Int64) async throws -> Void
    let now: @Sendable () -> Int64
    let logger: Logger

    /// - Parameters:
    ///   - attempts: tries per file before the run gives up on the destination until its next run.
    ///   - sleep: waits the given milliseconds (injected so tests need not wait).
    ///   - now: wall-clock epoch milliseconds for ledger timestamps.
    public init(
        ledger: any DestinationCatalog, staging: any ArchiveStore, attempts: Int = 5, backoff: Backoff = .upload,
        sleep: @escaping @Sendable (Int64) async throws -> Void, now: @escaping @Sendable () -> Int64, logger: Logger
    ) {
        self.ledger = ledger
        self.staging = staging
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.sleep = sleep
        self.now = now
        self.logger = logger
    }

    /// Delivers `plan`'s items in order into `bucket`.
    public func copy(_ plan: DestinationPlan, to bucket: any DestinationBucket) async -> DestinationRunResult {
        var result = DestinationRunResult(destinationID: plan.target.destination.id)
        for (index, item) in plan.items.enumerated() {
            if Task.isCancelled {
                result.error = DeliveryError(.unavailable, "the run was interrupted by shutdown; the next run resumes")
            }
            if result.error == nil {
                do {
                    try await deliver(item, target: plan.target, bucket: bucket)
                    result.deliveredFiles += 1
                    result.deliveredBytes += item.size
                    continue
                } catch {
                    result.error = DeliveryAdvice.explain(error, target: plan.target, key: item.destinationKey)
                    logger.warning(
                        "copy stopped for destination",
                        metadata: [
                            "destination.id": "\(plan.target.destination.id)", "s3.key": "\(item.destinationKey)",
                            "error": "\(error)", "pending": "\(plan.items.count - index)",
                        ])
                }
            }
            result.pendingFiles += 1
            result.pendingBytes += item.size
        }
        return result
    }

    /// One item with retries.
    func deliver(_ item: WorkItem, target: DestinationTarget, bucket: any DestinationBucket) async throws(DeliveryError)
    {
        var attempt = 1
        while true {
            do {
                try await deliverOnce(item, target: target, bucket: bucket)
                return
            } catch  where error.isRetryable && attempt < attempts {
                logger.debug(
                    "retrying upload", metadata: ["s3.key": "\(item.destinationKey)", "attempt": "\(attempt)"])
                do { try await sleep(backoff.delay(attempt: attempt)) } catch {
                    throw DeliveryError(.unavailable, "cancelled")
                }
                attempt += 1
            }
        }
    }

    func deliverOnce(_ item: WorkItem, target: DestinationTarget, bucket: any DestinationBucket)
        async throws(DeliveryError)
    {
        let key = item.destinationKey
        var outcome = try await staging.withStagedFile(key: item.stagedKey) { path throws(DeliveryError) in
            try await bucket.put(file: path, size: item.size, key: key, ifAbsent: true)
        }
        if outcome == .alreadyExists {
            // The same key always gets the same bytes, so an object there is an earlier copy whose ledger write a
            // crash (or a lost response) prevented. Check its size where HeadObject is allowed; replace it if wrong.
            let remote: RemoteObject?
            do {
                remote = try await bucket.head(key: key)
            } catch  where error.code == .accessDenied {
                remote = RemoteObject(size: item.size, eTag: nil)  // PutObject-only principal: trust the key
            }
            if remote?.size != item.size {
                logger.warning("replacing a different object at a Sluice key", metadata: ["s3.key": "\(key)"])
                outcome = try await staging.withStagedFile(key: item.stagedKey) { path throws(DeliveryError) in
                    try await bucket.put(file: path, size: item.size, key: key, ifAbsent: false)
                }
            } else {
                outcome = .stored(eTag: remote?.eTag)
            }
        }
        var eTag: String? = nil
        if case .stored(let reported) = outcome { eTag = reported }
        do {
            try await ledger.recordDelivery(
                DeliveryRecord(
                    destinationID: target.destination.id, stagedKey: item.stagedKey, size: item.size,
                    eTag: eTag, deliveredAtMilliseconds: now()))
        } catch {
            throw DeliveryError(
                .catalog, "the upload of \(target.url(key)) worked but the ledger write failed: \(error.message)",
                underlying: error)
        }
    }
}
