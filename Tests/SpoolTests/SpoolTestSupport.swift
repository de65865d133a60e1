import Foundation
import Logging
import Testing

@testable import Spool

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/sluice-spool-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        try #require(made, "mkdtemp failed: errno \(errno)")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func segmentFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".spool") }.sorted()
            .map { path + "/" + $0 }
    }
}

let quietLogger = Logger(label: "spool-tests", factory: { _ in SwiftLogNoOpLogHandler() })

func configuration(_ directory: TemporaryDirectory) -> SpoolConfiguration {
    var configuration = SpoolConfiguration(directory: directory.path)
    configuration.minFreeDiskBytes = 0
    // Spares are prepared on their own thread, so when a roll finds one ready is timing-dependent; these tests
    // check exact file layouts. PreallocationTests turns it on.
    configuration.preallocate = false
    return configuration
}

extension Spool {
    /// Every retained record, in order.
    func records(from sequence: UInt64 = 0) throws -> [SpoolRecord] {
        var records: [SpoolRecord] = []
        try replay(from: sequence) { records.append($0) }
        return records
    }
}

/// Deterministic pseudo-random numbers (SplitMix64) so a failing case can be reproduced from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func payload(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}

func readFile(_ path: String) throws -> [UInt8] {
    try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}
