import Deflate
import Dispatch
import Foundation
import SegmentModel

// sluice-bench: measures Sluice's batch compression on an NDJSON file, the way the batcher produces batch files
// (whole lines gathered into members of `member-bytes`, each member one gzip member from libdeflate), so the
// result can be compared with `gzip -6` and `libdeflate-gzip -6` of the same file.
//
//   sluice-bench compress FILE [--level 6] [--member-bytes 1048576] [--runs 3] [--out FILE]
//
// Prints one line: `input_bytes=N output_bytes=N best_seconds=S mb_per_s=X` (input MB/s of the fastest run).
//
//   sluice-bench enrich BODIES [--passes 1]
//
// Decodes and enriches every /v1/batch body of BODIES (one per line) the way the Tracking API does, `passes`
// times; prints requests, events, output bytes and microseconds per request. Meant for callgrind's instruction
// counts (`valgrind --tool=callgrind sluice-bench enrich ...`), which the shared machine does not disturb.

func enrich(_ path: String, passes: Int) -> Never {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    // Split by hand: Data.split's exclusivity checks cost more instructions than the work being measured.
    let all = [UInt8](data)
    var bodies: [[UInt8]] = []
    var lineStart = 0
    for index in all.indices where all[index] == UInt8(ascii: "\n") {
        if index > lineStart { bodies.append(Array(all[lineStart..<index])) }
        lineStart = index + 1
    }
    if lineStart < all.count { bodies.append(Array(all[lineStart...])) }
    let context = EnrichmentContext(
        sourceID: "bench", receivedAtMilliseconds: 1_795_000_000_000, peerIP: "127.0.0.1",
        messageIDGenerator: MessageIDGenerator.ksuid(random: { (7, 9) }))
    var enricher = Enricher()
    var lines: [UInt8] = []
    var events = 0
    var output = 0
    // FNV-1a of the first pass's output: equal before and after an optimisation means byte-identical lines.
    var digest: UInt64 = 0xcbf2_9ce4_8422_2325
    let start = DispatchTime.now()
    for passIndex in 0..<passes {
        for body in bodies {
            guard let decoded = try? TrackingRequestDecoder.decode(body: body, endpoint: .batch) else {
                FileHandle.standardError.write(Data("a body did not decode\n".utf8))
                exit(1)
            }
            lines.removeAll(keepingCapacity: true)
            for event in decoded.events {
                enricher.appendLine(for: event, of: decoded, context: context, into: &lines)
                lines.append(UInt8(ascii: "\n"))
            }
            events += decoded.events.count
            output += lines.count
            if passIndex == 0 {
                for byte in lines { digest = (digest ^ UInt64(byte)) &* 0x100_0000_01b3 }
            }
        }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    let requests = bodies.count * passes
    print(
        "requests=\(requests) events=\(events) output_bytes=\(output) us_per_request="
            + String(format: "%.1f", seconds * 1e6 / Double(requests)) + " output_fnv1a="
            + String(digest, radix: 16))
    exit(0)
}

if CommandLine.arguments.count >= 2, CommandLine.arguments[1] == "dedupe" {
    dedupeBench(Array(CommandLine.arguments.dropFirst(2)))
}
if CommandLine.arguments.count >= 3, CommandLine.arguments[1] == "enrich" {
    let passes = CommandLine.arguments.count >= 5 ? Int(CommandLine.arguments[4]) ?? 1 : 1
    enrich(CommandLine.arguments[2], passes: passes)
}

struct Options {
    var file = ""
    var level = 6
    var memberBytes = 1 << 20
    var runs = 3
    var out: String?
}

func parse(_ arguments: [String]) -> Options? {
    guard arguments.count >= 2, arguments[0] == "compress" else { return nil }
    var options = Options()
    options.file = arguments[1]
    var rest = arguments.dropFirst(2).makeIterator()
    while let flag = rest.next() {
        guard let value = rest.next() else { return nil }
        switch flag {
        case "--level": options.level = Int(value) ?? options.level
        case "--member-bytes": options.memberBytes = Int(value) ?? options.memberBytes
        case "--runs": options.runs = max(1, Int(value) ?? 1)
        case "--out": options.out = value
        default: return nil
        }
    }
    return options
}

/// Member boundaries: the first line end at or after every `memberBytes`.
func memberRanges(_ bytes: [UInt8], memberBytes: Int) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start = 0
    while start < bytes.count {
        var end = min(start + memberBytes, bytes.count)
        while end < bytes.count, bytes[end - 1] != UInt8(ascii: "\n") { end += 1 }
        ranges.append(start..<end)
        start = end
    }
    return ranges
}

/// Compresses every member in order on this thread, with one reused compressor (as a batch writer job does).
func compressAll(_ bytes: [UInt8], _ ranges: [Range<Int>], level: Int) -> [[UInt8]] {
    let compressor = GzipCompressor(level: level)
    return bytes.withUnsafeBytes { raw in
        ranges.map { range in
            var member: [UInt8] = []
            compressor.compress(UnsafeRawBufferPointer(rebasing: raw[range]), appendingTo: &member)
            return member
        }
    }
}

guard let options = parse(Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write(
        Data("usage: sluice-bench compress FILE [--level N] [--member-bytes N] [--runs N] [--out F]\n".utf8))
    exit(2)
}
guard let data = FileManager.default.contents(atPath: options.file) else {
    FileHandle.standardError.write(Data("cannot read \(options.file)\n".utf8))
    exit(1)
}
let input = [UInt8](data)
let ranges = memberRanges(input, memberBytes: options.memberBytes)
var best = Double.infinity
var members: [[UInt8]] = []
for _ in 0..<options.runs {
    let start = DispatchTime.now()
    members = compressAll(input, ranges, level: options.level)
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
}
let outputBytes = members.reduce(0) { $0 + $1.count }
if let out = options.out, !FileManager.default.createFile(atPath: out, contents: Data(members.joined())) {
    FileHandle.standardError.write(Data("cannot write \(out)\n".utf8))
    exit(1)
}
print(
    "input_bytes=\(input.count) output_bytes=\(outputBytes) members=\(ranges.count) best_seconds="
        + String(format: "%.4f", best) + " mb_per_s=" + String(format: "%.1f", Double(input.count) / best / 1e6))
