import Deflate
import Logging
import Metrics
import Storage

extension Batcher {
    /// Runs the writer lane until `drain()` ends it: members are compressed and appended in order, closed batches
    /// are finished, sealed and stored. Blocking work runs on the thread pool.
    public func runLane() async {
        for await job in lane {
            switch job {
            case .members(let members):
                let written = await writeMembers(members)
                for ((handle, bytes), size) in zip(members, written) {
                    memberWritten(handle, queued: bytes.count, written: size ?? 0)
                    if size == nil, poisoned.insert(handle).inserted {
                        // Close it now: its retry (a rebuild from the spool) starts in a second, not when it ages.
                        perform(state.close(handle, .writeFailed))
                    }
                }
            case .close(let batch):
                let outcome = await finish(batch)
                await closed(batch, outcome: outcome)
            case .retry(let handle):
                await retry(handle)
            case .barrier(let continuation):
                continuation.resume()
            }
        }
    }

    /// Compresses each member into one gzip member appended to its batch file; returns their gzip sizes in the same
    /// order (nil: the write failed, logged; a batch with a failed member is never sealed, so its events stay in the
    /// spool and are re-batched after a restart). Many members (many sources, each with a small pending buffer) are
    /// split by batch into `laneParallelism` thread-pool jobs that run at once: each batch's members stay in one
    /// job, in order, and the lane waits for all of them, so every batch file still gets its members in sequence.
    /// With 10,000 sources nearly every request becomes its own member, and creating and appending thousands of small
    /// files one by one held the lane back.
    nonisolated func writeMembers(_ members: [(BatchHandle, [UInt8])]) async -> [Int?] {
        let parts = Self.partition(members, into: members.count >= 16 ? Self.laneParallelism : 1)
        if parts.count == 1 { return await writeInOneJob(members) }
        var sizes = [Int?](repeating: nil, count: members.count)
        await withTaskGroup(of: ([Int], [Int?]).self) { group in
            for indexes in parts {
                group.addTask { (indexes, await self.writeInOneJob(indexes.map { members[$0] })) }
            }
            for await (indexes, written) in group {
                for (index, size) in zip(indexes, written) { sizes[index] = size }
            }
        }
        return sizes
    }

    /// Thread-pool jobs `writeMembers` runs at once.
    static let laneParallelism = 2

    /// Splits member indexes into at most `count` non-empty groups, all members of one batch in the same group
    /// and in their original order.
    static func partition(_ members: [(BatchHandle, [UInt8])], into count: Int) -> [[Int]] {
        guard count > 1 else { return [Array(members.indices)] }
        var groups = [[Int]](repeating: [], count: count)
        for (index, member) in members.enumerated() {
            groups[Int(UInt(bitPattern: member.0.uuid.hashValue) % UInt(count))].append(index)
        }
        return groups.filter { !$0.isEmpty }
    }

    /// Compresses and appends `members` in order in one thread-pool job.
    nonisolated func writeInOneJob(_ members: [(BatchHandle, [UInt8])]) async -> [Int?] {
        // Nothing to compress (an empty remainder): no thread-pool hop.
        guard members.contains(where: { !$0.1.isEmpty }) else { return members.map { _ in 0 } }
        let compressors = self.compressors
        let directory = dataDirectory
        let logger = self.logger
        do {
            return try await threadPool.runIfActive {
                compressors.withCompressor { compressor in
                    members.map { handle, bytes -> Int? in
                        guard !bytes.isEmpty else { return 0 }
                        let member = compressor.compress(bytes)
                        do {
                            try Files.append(
                                member, to: directory + "/" + handle.stagingPath,
                                startWriteback: member.count >= 64 << 10)
                            return member.count
                        } catch {
                            logger.error(
                                "cannot write batch member", metadata: ["batch": "\(handle.key)", "error": "\(error)"])
                            Counter(label: "sluice_batch_write_errors_total").increment()
                            return nil
                        }
                    }
                }
            }
        } catch {
            // The thread pool is shut down: nothing was written.
            logger.error("cannot write batch members", metadata: ["members": "\(members.count)", "error": "\(error)"])
            Counter(label: "sluice_batch_write_errors_total").increment()
            return Array(repeating: nil, count: members.count)
        }
    }

    /// Writes the remainder, fsyncs the file, appends the seal record, then stores the file under its final key.
    func finish(_ batch: ClosingBatch) async -> FinishOutcome {
        let handle = batch.handle
        if await writeInOneJob([(handle, batch.remainder)])[0] == nil { poisoned.insert(handle) }
        guard poisoned.remove(handle) == nil else {
            // Sealing would claim events the file lacks. Unsealed, they stay in the spool (it is not released past
            // this batch), and the batch is rebuilt from the spool when retried.
            logger.error("batch not stored: a member could not be written", metadata: ["batch": "\(handle.key)"])
            return .unsealed("a member of the batch file could not be written (see the log: disk full?)")
        }
        return await sealAndStore(
            handle, firstSequence: batch.firstSequence, lastSequence: batch.lastSequence,
            eventCount: batch.eventCount, reason: batch.reason)
    }

    /// Fsyncs a complete batch file, appends its seal record, then stores it under its final key.
    func sealAndStore(
        _ handle: BatchHandle, firstSequence: UInt64, lastSequence: UInt64, eventCount: UInt64, reason: CloseReason
    ) async -> FinishOutcome {
        let path = dataDirectory + "/" + handle.stagingPath
        var sealedKey: String?
        do {
            try await threadPool.runIfActive { try Files.sync(path) }
            let key = try naming.objectKey(for: handle, closedAtMilliseconds: now())
            let seal = SealRecord(
                key: handle.key, firstSequence: firstSequence, lastSequence: lastSequence,
                eventCount: eventCount, stagingPath: handle.stagingPath, objectKey: key)
            let sequence = try await spool.appendControl(kind: PipelineRecordKind.seal, payload: seal.encoded())
            deliver(sequence, nil)
            sealedKey = key
            try await store.put(file: path, key: key, metadata: .segmentBatch)
            Counter(label: "sluice_batches_closed_total", dimensions: [("reason", reason.rawValue)]).increment()
            Counter(label: "sluice_batch_events_total").increment(by: Int(eventCount))
            logger.info(
                "batch stored",
                metadata: [
                    "batch": "\(handle.key)", "s3.key": "\(key)", "events": "\(eventCount)",
                    "reason": "\(reason.rawValue)",
                ])
            return .stored
        } catch {
            // The events are still in the spool (not released while this batch is unsettled): a retry (or a
            // restart's recovery) completes the seal or rebuilds the batch.
            logger.error("cannot finish batch", metadata: ["batch": "\(handle.key)", "error": "\(error)"])
            Counter(label: "sluice_batch_write_errors_total").increment()
            if let sealedKey { return .sealed(objectKey: sealedKey, path: path, "\(error)") }
            return .unsealed("\(error)")
        }
    }
}
