import Logging
import NIOPosix
import Storage

/// Start-up recovery: completes seals whose file was not yet stored, and re-batches every events record that no
/// stored batch holds. Nothing acknowledged is lost, nothing stored is stored twice.
public enum Recovery {
    /// What recovery found, for the start-up log line and tests.
    public struct Report: Sendable, Equatable {
        public var records = 0
        public var seals = 0
        public var sealsCompleted = 0
        public var sealsVoid = 0
        public var eventsRecordsRebatched = 0
        public var lastSequence: UInt64 = 0
    }

    struct StopReplay: Error {}

    public static func run(
        spool: any SpoolLog, store: any ArchiveStore, batcher: Batcher, dataDirectory: String, logger: Logger,
        chunkLimit: Int = 16 << 20, threadPool: NIOThreadPool = .singleton
    ) async throws -> Report {
        var report = Report()
        // Replays read files: they run on the thread pool, never on the cooperative pool.
        let (count, last, seals) = try await threadPool.runIfActive {
            var count = 0
            var last: UInt64 = 0
            var seals: [SealRecord] = []
            try spool.replay(from: 0) { record in
                count += 1
                last = max(last, record.sequence)
                if record.kind == PipelineRecordKind.seal { seals.append(try SealRecord(decoding: record.payload)) }
            }
            return (count, last, seals)
        }
        report.records = count
        report.lastSequence = max(last, spool.lastSequence)
        report.seals = seals.count

        var valid: [BatchKey: [ClosedRange<UInt64>]] = [:]
        var keep = Set<String>()
        for seal in seals {
            if try await store.exists(key: seal.objectKey) {
                valid[seal.key, default: []].append(seal.firstSequence...seal.lastSequence)
            } else if Files.exists(dataDirectory + "/" + seal.stagingPath) {
                try await store.put(
                    file: dataDirectory + "/" + seal.stagingPath, key: seal.objectKey, metadata: .segmentBatch)
                valid[seal.key, default: []].append(seal.firstSequence...seal.lastSequence)
                report.sealsCompleted += 1
            } else {
                // Cannot happen unless files were removed by hand: the events are re-batched from the spool.
                logger.warning(
                    "sealed batch file missing; re-batching its events", metadata: ["s3.key": "\(seal.objectKey)"])
                report.sealsVoid += 1
            }
            keep.insert(seal.stagingPath)
        }

        // A batch re-formed below may span records that a stored batch holds; a rebuild must skip those too.
        await batcher.noteStoredRanges(valid)

        // Files of batches that were open when the process stopped hold only spooled events: start them anew.
        let openDirectory = dataDirectory + "/staging/open"
        try Files.makeDirectories(openDirectory)
        for name in Files.entries(openDirectory) where !keep.contains("staging/open/" + name) {
            _ = unlinkFile(openDirectory + "/" + name)
        }

        // Re-batch in chunks of bounded size: the lane compresses each chunk while the next is read, so a
        // multi-GB backlog never sits in memory.
        var from: UInt64 = 0
        while true {
            let covered = valid
            let start = from
            let (chunk, next) = try await threadPool.runIfActive { () throws -> ([(UInt64, EventsRecord)], UInt64?) in
                var chunk: [(UInt64, EventsRecord)] = []
                var chunkBytes = 0
                var next: UInt64? = nil
                do {
                    try spool.replay(from: start) { record in
                        if chunkBytes >= chunkLimit {
                            next = record.sequence
                            throw StopReplay()
                        }
                        guard record.kind == PipelineRecordKind.events else { return }
                        let events = try EventsRecord(decoding: record.payload)
                        if covered[events.key]?.contains(where: { $0.contains(record.sequence) }) == true { return }
                        chunk.append((record.sequence, events))
                        chunkBytes += events.lines.count
                    }
                } catch is StopReplay {}
                return (chunk, next)
            }
            for (sequence, events) in chunk { await batcher.restore(sequence, events) }
            report.eventsRecordsRebatched += chunk.count
            while batcher.backlog.bytes > chunkLimit { try await Task.sleep(for: .milliseconds(5)) }
            guard let next else { break }
            from = next
        }
        await batcher.resume(after: report.lastSequence)
        await batcher.tick()
        logger.info(
            "spool recovered",
            metadata: [
                "records": "\(report.records)", "seals": "\(report.seals)",
                "seals.completed": "\(report.sealsCompleted)",
                "rebatched": "\(report.eventsRecordsRebatched)",
            ])
        return report
    }
}

#if canImport(Glibc)
    import Glibc
#endif

func unlinkFile(_ path: String) -> Bool { unlink(path) == 0 }
