import Dedupe
import Dispatch
import Foundation
import Logging

// sluice-bench dedupe [--ids 50000000] [--dir DIR] [--lookups 200000] [--bits 8]
//
// Fills a messageId index with IDS distinct 36-character ids spread over a 24-hour window (claims of 100, as the
// ingest path makes them), then measures: memory (VmRSS added, the filters' bytes), disk, insert cost, and lookup
// cost at that size for repeats (every id found: filter hit + table and id reads) and for new ids (the common case:
// mostly answered by the filters), as CPU and wall time per id. Then reopens the index (filters rebuilt from the
// tables) and reports that time and its memory. Prints `key=value` lines.

func dedupeBench(_ arguments: [String]) -> Never {
    var ids = 50_000_000
    var directory = NSTemporaryDirectory() + "sluice-dedupe-bench"
    var lookups = 200_000
    var bits = 8
    var rest = arguments[...]
    while let flag = rest.popFirst() {
        guard let value = rest.popFirst() else { break }
        switch flag {
        case "--ids": ids = Int(value) ?? ids
        case "--dir": directory = value
        case "--lookups": lookups = Int(value) ?? lookups
        case "--bits": bits = Int(value) ?? bits
        default:
            FileHandle.standardError.write(Data("unknown flag \(flag)\n".utf8))
            exit(2)
        }
    }
    Task {
        await runDedupeBench(ids: ids, directory: directory, lookups: lookups, bits: bits)
        exit(0)
    }
    dispatchMain()
}

/// A deterministic UUID-shaped id for `n` (distinct for distinct n: the hex is a bijection of n).
func benchID(_ n: UInt64) -> [UInt8] {
    var x = n &* 0x9e37_79b9_7f4a_7c15
    x ^= x >> 29
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(36)
    for i in 0..<32 {
        if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
        let nibble = i < 16 ? (x >> UInt64(60 - 4 * i)) & 15 : (n >> UInt64(60 - 4 * (i - 16))) & 15
        out.append(hex[Int(nibble)])
    }
    return out
}

func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    else { return 0 }
    return kb * 1024
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func directoryBytes(_ path: String) -> Int {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    var total = 0
    for name in names {
        var info = stat()
        if stat(path + "/" + name, &info) == 0 { total += Int(info.st_blocks) * 512 }
    }
    return total
}

func runDedupeBench(ids: Int, directory: String, lookups: Int, bits: Int) async {
    try? FileManager.default.removeItem(atPath: directory)
    let logger = Logger(label: "sluice-bench")
    let window = DedupeWindow.standard
    let t0: Int64 = 1_795_478_400_000
    let step = Double(window.milliseconds - 1) / Double(max(ids, 1))
    let rss0 = residentBytes()
    do {
        var dedupe = try Deduplicator.open(
            directory: directory, window: window, now: t0, logger: logger, bitsPerEntry: bits)
        var cpu = cpuSeconds()
        var wall = Date()
        let claimSize = 100
        var n = 0
        while n < ids {
            let count = min(claimSize, ids - n)
            let time = t0 + Int64(Double(n) * step)
            let claim = await dedupe.claim((n..<(n + count)).map { benchID(UInt64($0)) }, receivedAtMilliseconds: time)
            await dedupe.settle(claim, accepted: true)
            n += count
            if n % 5_000_000 == 0 { print("progress ids=\(n) seconds=\(Int(-wall.timeIntervalSinceNow))") }
        }
        try dedupe.sync()
        let insertCPU = cpuSeconds() - cpu
        let insertWall = -wall.timeIntervalSinceNow
        let rss1 = residentBytes()
        let (held, memory) = dedupe.statistics
        print(
            "ids=\(held) filter_bytes=\(memory) rss_added_bytes=\(rss1 - rss0) disk_bytes=\(directoryBytes(directory))")
        print(
            String(
                format: "insert_cpu_us_per_id=%.2f insert_wall_us_per_id=%.2f", insertCPU * 1e6 / Double(ids),
                insertWall * 1e6 / Double(ids)))
        let now = t0 + window.milliseconds - 1
        for (label, offset) in [("repeat", 0), ("new", ids)] {
            cpu = cpuSeconds()
            wall = Date()
            var found = 0
            var done = 0
            // Distinct ids in a scattered order: i * a prime, modulo the id count (a bijection unless it divides it).
            var i: UInt64 = 0
            while done < lookups {
                let batch = (0..<claimSize).map { _ -> [UInt8]? in
                    i += 1
                    return benchID(UInt64(offset) + (i &* 2_654_435_761) % UInt64(max(ids, 1)))
                }
                let claim = await dedupe.claim(batch, receivedAtMilliseconds: now)
                found += claim.duplicateCount
                await dedupe.settle(claim, accepted: false)
                done += claimSize
            }
            print(
                String(
                    format: "lookup_%@_cpu_us_per_id=%.2f lookup_%@_wall_us_per_id=%.2f found=%d of %d",
                    label, (cpuSeconds() - cpu) * 1e6 / Double(done), label,
                    -wall.timeIntervalSinceNow * 1e6 / Double(done), found, done))
        }
        wall = Date()
        dedupe = try Deduplicator.open(
            directory: directory, window: window, now: now, logger: logger, bitsPerEntry: bits)
        print(String(format: "reopen_seconds=%.1f reopen_ids=%d", -wall.timeIntervalSinceNow, dedupe.statistics.ids))
        print("rss_after_reopen_bytes=\(residentBytes()) rss_at_start_bytes=\(rss0)")
    } catch {
        print("error=\(error)")
        exit(1)
    }
}
