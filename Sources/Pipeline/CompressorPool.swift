import Deflate
import Synchronization

/// Reusable libdeflate compressors for the thread-pool jobs that compress batch members. Allocating a compressor
/// maps and faults in about a megabyte of match-finder tables; with one per member that was a measurable share of
/// the writer's time (and of the kernel's, in page faults), so compressors are kept and handed out one per job.
final class CompressorPool: @unchecked Sendable {
    let level: Int
    /// Guarded by `lock`; a compressor is only ever used by the one job that took it out.
    private var idle: [GzipCompressor] = []
    private let lock = Mutex(())
    /// More idle compressors than this are dropped rather than kept.
    private let keep: Int

    init(level: Int, keep: Int = 8) {
        self.level = level
        self.keep = keep
    }

    /// Runs `body` with a compressor no other job is using.
    func withCompressor<Result>(_ body: (GzipCompressor) throws -> Result) rethrows -> Result {
        let compressor = lock.withLock { _ in idle.popLast() } ?? GzipCompressor(level: level)
        defer {
            lock.withLock { _ in
                if idle.count < keep { idle.append(compressor) }
            }
        }
        return try body(compressor)
    }
}
