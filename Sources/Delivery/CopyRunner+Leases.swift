import Catalog
import Logging

extension CopyRunner {
    /// Copies one claimed batch: a task per destination (a failing destination never holds up the others) and one
    /// that renews the batch's leases every third of the lease time until the copies end.
    func copyLeased(_ claimed: [CopyLease], destinations: [String: Destination]) async -> [DestinationRunResult] {
        let held = HeldLeases(claimed)
        let byDestination = Dictionary(grouping: claimed, by: \.destinationID)
        return await withTaskGroup(of: DestinationRunResult?.self) { group in
            group.addTask {
                await renew(held); return nil
            }
            for (id, work) in byDestination {
                group.addTask { await copy(work, destination: destinations[id], held: held) }
            }
            var results: [DestinationRunResult] = []
            for await result in group {
                guard let result else { continue }
                results.append(result)
                if results.count == byDestination.count { group.cancelAll() }
            }
            return results
        }
    }

    /// Renews what `held` still holds until cancelled. A failed renewal is logged and tried again; the leases
    /// expire by themselves if the catalog stays away, and the fence keeps a late completion from counting.
    func renew(_ held: HeldLeases) async {
        while true {
            do { try await Task.sleep(for: .milliseconds(leases.renewEveryMilliseconds)) } catch { return }
            let asked = held.all
            guard !asked.isEmpty else { continue }
            do {
                let renewed = try await catalog.renewCopyLeases(
                    asked, leaseMilliseconds: leases.leaseMilliseconds, nowMilliseconds: copier.now())
                let lost = held.keep(renewed: renewed, of: asked)
                if lost > 0 { logger.warning("copy leases lost to another node", metadata: ["copy.lost": "\(lost)"]) }
            } catch {
                logger.warning("cannot renew copy leases", metadata: ["error": "\(error.message)"])
            }
        }
    }

    /// One destination's share of a claimed batch, in key order. Each copy is recorded only if its lease still
    /// holds; the first failure gives the rest back with the destination's backoff.
    func copy(_ work: [CopyLease], destination: Destination?, held: HeldLeases) async -> DestinationRunResult {
        let work = work.sorted { $0.stagedKey < $1.stagedKey }
        var result = DestinationRunResult(destinationID: work[0].destinationID)
        // Removed since the claim: its work went with it.
        guard let destination else { return result }
        let target: DestinationTarget
        let bucket: any DestinationBucket
        do {
            target = try DestinationTarget(destination)
        } catch {
            return await fail(result, error, rest: work[...], held: held)
        }
        do {
            bucket = try await connector.bucket(for: target)
        } catch {
            let explained = DeliveryAdvice.explain(error, target: target, key: target.address.segmentLogsPrefix)
            return await fail(result, explained, rest: work[...], held: held)
        }
        for (index, lease) in work.enumerated() {
            if Task.isCancelled {
                // Shutdown: give the rest back at once, so another node need not wait for the leases to expire.
                let rest = work[index...]
                try? await catalog.releaseCopyWork(Array(rest), retryAtMilliseconds: copier.now())
                held.remove(rest)
                result.error = DeliveryError(.unavailable, "the run was interrupted by shutdown; the next run resumes")
                result.pendingFiles += rest.count
                result.pendingBytes += rest.reduce(0) { $0 + $1.size }
                return result
            }
            guard held.contains(lease) else {
                result.lostLeases += 1
                continue
            }
            let item = WorkItem(
                stagedKey: lease.stagedKey, destinationKey: target.address.destinationKey(forStaged: lease.stagedKey),
                size: lease.size)
            do {
                let eTag = try await copier.deliver(item, target: target, bucket: bucket)
                let record = DeliveryRecord(
                    destinationID: lease.destinationID, stagedKey: lease.stagedKey, size: lease.size, eTag: eTag,
                    deliveredAtMilliseconds: copier.now())
                let recorded = try await catalogCall { () throws(CatalogError) in
                    try await catalog.completeCopyWork(lease, delivery: record)
                }
                held.remove([lease])
                if recorded {
                    result.deliveredFiles += 1
                    result.deliveredBytes += lease.size
                } else {
                    // The object is in place (same key, same bytes); the node that holds the lease now records it.
                    result.lostLeases += 1
                    logger.warning(
                        "copy lease lost before the copy was recorded; its new holder records it",
                        metadata: ["destination.id": "\(lease.destinationID)", "s3.key": "\(item.destinationKey)"])
                }
            } catch {
                if error.code == .staging, await isGone(lease.stagedKey) {
                    // Deleted behind the ledger's back (by hand, or retention racing a backfill): nothing to copy,
                    // and failing the destination for it would stop its copy for good.
                    logger.warning(
                        "staged file is gone from staging; its ledger row is dropped",
                        metadata: ["s3.key": "\(lease.stagedKey)"])
                    try? await catalog.forgetStaged(keys: [lease.stagedKey])
                    held.remove([lease])
                    continue
                }
                let explained = DeliveryAdvice.explain(error, target: target, key: item.destinationKey)
                logger.warning(
                    "copy stopped for destination",
                    metadata: [
                        "destination.id": "\(lease.destinationID)", "s3.key": "\(item.destinationKey)",
                        "error": "\(error)", "pending": "\(work.count - index)",
                    ])
                return await fail(result, explained, rest: work[index...], held: held)
            }
        }
        return result
    }

    /// True when the staging store answers that `key` is not there (not when it cannot answer).
    func isGone(_ key: String) async -> Bool {
        do {
            return try await staging.head(key: key) == nil
        } catch {
            return false
        }
    }

    /// Records the destination's failed run and gives `rest` back, due again after the destination's backoff (the
    /// same 1, 2, 4 ... 30 minutes as before leases: `DestinationState.consecutiveFailures`).
    func fail(_ result: DestinationRunResult, _ error: DeliveryError, rest: ArraySlice<CopyLease>, held: HeldLeases)
        async -> DestinationRunResult
    {
        var result = result
        result.error = error
        result.pendingFiles += rest.count
        result.pendingBytes += rest.reduce(0) { $0 + $1.size }
        held.remove(rest)
        let id = result.destinationID
        do throws(CatalogError) {
            let at = copier.now()
            try await catalog.recordRun(destinationID: id, atMilliseconds: at, error: error.message)
            let failures = try await catalog.destinationState(id: id)?.consecutiveFailures ?? 1
            try await catalog.releaseCopyWork(
                Array(rest), retryAtMilliseconds: at + retryBackoff.delay(attempt: failures))
        } catch {
            // The leases expire by themselves; the work is claimed again then.
            logger.warning("cannot record a failed copy", metadata: ["destination.id": "\(id)", "error": "\(error)"])
        }
        return result
    }
}
