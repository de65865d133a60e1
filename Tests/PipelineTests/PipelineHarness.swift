import Deflate
import Foundation
import Logging
import SluiceTesting
import Spool
import Storage

@testable import Pipeline

/// A pipeline on real parts (spool files, a local directory store) in a temporary directory.
struct PipelineHarness {
    let directory: String
    let spool: Spool
    let store: any ArchiveStore
    let batcher: Batcher
    let ingestor: Ingestor
    static let logger = Logger(label: "test.pipeline")

    init(
        directory: String, store: (any ArchiveStore)? = nil, policy: BatchingPolicy = BatchingPolicy(),
        segmentBytes: Int = 64 << 20, newUUID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) throws {
        self.directory = directory
        var configuration = SpoolConfiguration(directory: directory + "/spool")
        configuration.segmentBytes = segmentBytes
        try FileManager.default.createDirectory(atPath: directory + "/spool", withIntermediateDirectories: true)
        spool = try Spool.open(configuration: configuration, logger: Self.logger)
        self.store = store ?? LocalArchiveStore(root: directory + "/bucket")
        batcher = Batcher(
            policy: policy, spool: spool, store: self.store, dataDirectory: directory,
            naming: BatchNaming(nodeID: "0123456789ab", buildID: "abcdef0"), nextSequence: 0,
            now: { Int64(Date().timeIntervalSince1970 * 1000) }, newUUID: newUUID,
            logger: Self.logger)
        ingestor = Ingestor(spool: spool, batcher: batcher, policy: policy)
    }

    func recover() async throws -> Recovery.Report {
        try await Recovery.run(
            spool: spool, store: store, batcher: batcher, dataDirectory: directory, logger: Self.logger)
    }

    /// A restart after a crash: runs the writer lane, recovers the spool, then drains (every batch closed and
    /// stored) and returns what recovery did.
    func recoverAndDrain() async throws -> Recovery.Report {
        try await withThrowingTaskGroup(of: Void.self, returning: Recovery.Report.self) { group in
            group.addTask { await batcher.runLane() }
            let report = try await recover()
            await batcher.drain()
            return report
        }
    }

    static func record(source: String, ids: [String], received: Int64 = 1_764_000_000_000) -> EventsRecord {
        let lines = ids.map { #"{"messageId":"\#($0)","type":"track"}"# + "\n" }.joined()
        return EventsRecord(
            key: BatchKey(sourceID: source, day: received - received % 86_400_000), receivedAtMilliseconds: received,
            eventCount: UInt32(ids.count), lines: Array(lines.utf8))
    }

    /// messageId → how many times it is in the store's files.
    func storedMessageIDs() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for object in try await store.list(prefix: "segment-logs/") {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/bucket/" + object.key)))
            let text = String(decoding: try Gzip.decompress(bytes, maxOutputBytes: 1 << 30), as: UTF8.self)
            guard expectLinesEndWithNewlineImpl(text) else {
                throw TestSupportError("a batch file does not end with a newline")
            }
            for line in text.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let id = object?["messageId"] as? String { counts[id, default: 0] += 1 }
            }
        }
        return counts
    }
}

func expectLinesEndWithNewlineImpl(_ text: String) -> Bool { text.isEmpty || text.hasSuffix("\n") }
