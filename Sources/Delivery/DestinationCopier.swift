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
    /// Copies whose lease another node had taken over before they were recorded (that node records them).
    public var lostLeases = 0
    /// Why the run stopped early; nil when everything owed was delivered.
    public var error: DeliveryError?

    public init(destinationID: String) {
        self.destinationID = destinationID
    }
}

/// Uploads one staged file to a destination bucket. Transient failures are retried with backoff; anything else is
/// the destination's failure (its run stops, and only its). Recording the delivery is the caller's: a leased copy
/// records it under the lease's fence.
public struct DestinationCopier: Sendable {
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
        staging: any ArchiveStore, attempts: Int = 5, backoff: Backoff = .upload,
        sleep: @escaping @Sendable (Int64) async throws -> Void, now: @escaping @Sendable () -> Int64, logger: Logger
    ) {
        self.staging = staging
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.sleep = sleep
        self.now = now
        self.logger = logger
    }

    /// One item with retries; returns the ETag the destination reported, when it reported one.
    func deliver(_ item: WorkItem, target: DestinationTarget, bucket: any DestinationBucket)
        async throws(DeliveryError) -> String?
    {
        var attempt = 1
        while true {
            do {
                return try await deliverOnce(item, target: target, bucket: bucket)
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
        async throws(DeliveryError) -> String?
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
        if case .stored(let reported) = outcome { return reported }
        return nil
    }
}
