import Catalog
import CatalogSQLite
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Pipeline
import SegmentModel
import SluiceTesting
import Spool
import Storage
import Synchronization
import Testing

@testable import SluiceServer

/// A spool that refuses appends while told to, as a disk filling between admission and the write does.
final class RefusingSpool: SpoolLog {
    let inner: Spool
    let refusing = Mutex(false)
    init(_ inner: Spool) { self.inner = inner }

    func append(kind: UInt8, payload: [UInt8]) async throws -> UInt64 {
        if refusing.withLock({ $0 }) { throw SpoolError(.full, "injected: the disk is full") }
        return try await inner.append(kind: kind, payload: payload)
    }
    func appendControl(kind: UInt8, payload: [UInt8]) async throws -> UInt64 {
        try await inner.appendControl(kind: kind, payload: payload)
    }
    func release(below sequence: UInt64) { inner.release(below: sequence) }
    func admission() throws { try inner.admission() }
    var lastSequence: UInt64 { inner.lastSequence }
    var usage: SpoolUsage { inner.usage }
    func replay(from sequence: UInt64, _ body: (SpoolRecord) throws -> Void) throws {
        try inner.replay(from: sequence, body)
    }
}

/// The Tracking API route on real parts (spool, SQLite catalog, local store) behind a live Hummingbird server.
@Suite struct QuarantineOrderTests {
    /// A request refused by the spool (503) quarantines nothing, so the client's retry records its rejected event
    /// once: before the fix the quarantine was written first and a retry recorded it again.
    @Test func aRequestRefusedByTheSpoolQuarantinesNothing() async throws {
        let directory = try TemporaryDirectory("quarantine-order").path
        let logger = Logger(label: "test.quarantine")
        try FileManager.default.createDirectory(atPath: directory + "/spool", withIntermediateDirectories: true)
        let spool = RefusingSpool(
            try Spool.open(configuration: SpoolConfiguration(directory: directory + "/spool"), logger: logger))
        defer { spool.inner.close() }
        let catalog = try await SQLiteCatalog.open(path: directory + "/catalog.sqlite", logger: logger)
        let now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
        let source = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: now())
        let batcher = Batcher(
            policy: BatchingPolicy(), spool: spool, store: LocalArchiveStore(root: directory + "/bucket"),
            dataDirectory: directory, naming: BatchNaming(nodeID: "0123456789ab", buildID: "abcdef0"),
            nextSequence: 0, now: now, newUUID: { UUID().uuidString.lowercased() }, logger: logger)
        let router = Router(context: SluiceRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        TrackingAPI(
            ingestor: Ingestor(spool: spool, batcher: batcher, policy: BatchingPolicy()),
            sources: SourceDirectory(catalog: catalog, now: now), catalog: catalog, limits: IngestLimits(),
            isReady: { true }, now: now
        ).register(on: router)
        let body =
            #"{"batch":[{"type":"track","userId":"u","event":"ok"},{"type":"track","userId":"u"}],"#
            + #""writeKey":"\#(source.writeKey)"}"#

        try await Application(router: router).test(.live) { client in
            spool.refusing.withLock { $0 = true }
            for _ in 0..<3 {
                try await client.execute(uri: "/v1/batch", method: .post, body: ByteBuffer(string: body)) { reply in
                    #expect(reply.status == .serviceUnavailable)
                }
            }
            #expect(try await catalog.quarantined(sourceID: source.id, limit: 100).isEmpty)
            spool.refusing.withLock { $0 = false }
            try await client.execute(uri: "/v1/batch", method: .post, body: ByteBuffer(string: body)) { reply in
                #expect(reply.status == .ok)
                #expect(String(buffer: reply.body).contains(#""rejected":[{"index":1,"code":"missing_event""#))
            }
        }
        #expect(try await catalog.quarantined(sourceID: source.id, limit: 100).count == 1)
        await catalog.close()
    }
}
