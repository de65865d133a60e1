import Catalog
import CatalogSQLite
import Logging
import SluiceTesting
import Synchronization
import Testing

@testable import SluiceServer

/// The write-key cache on a real SQLite catalog with a manual clock: a revoked key stops authenticating after the
/// positive TTL, and at once when this process evicts it.
@Suite struct SourceDirectoryTests {
    @Test func aRevokedKeyIsRefusedAfterTheTTLAndAtOnceWhenEvicted() async throws {
        let dir = try TemporaryDirectory("source-directory")
        defer { dir.remove() }
        let catalog = try await SQLiteCatalog.open(path: dir.path + "/catalog.sqlite", logger: Logger(label: "test"))
        let clock = Mutex<Int64>(1_000)
        let directory = SourceDirectory(
            catalog: catalog, now: { clock.withLock { $0 } }, positiveTTLMilliseconds: 5_000)
        let web = try await catalog.createSource(name: "web", writeKey: "web-key-00001", nowMilliseconds: 0)
        let second = try await catalog.addWriteKey(sourceID: web.id, key: "web-key-00002", nowMilliseconds: 0)
        try await directory.preload()
        #expect(try await directory.source(writeKey: second.key)?.id == web.id)

        try await catalog.revokeWriteKey("web-key-00001", nowMilliseconds: 1)
        clock.withLock { $0 += 4_999 }
        #expect(try await directory.source(writeKey: "web-key-00001")?.id == web.id)  // still within the TTL
        clock.withLock { $0 += 1 }
        #expect(try await directory.source(writeKey: "web-key-00001") == nil)

        #expect(try await directory.source(writeKey: second.key)?.id == web.id)  // cached again until 11_000
        try await catalog.revokeWriteKey(second.key, nowMilliseconds: 2)
        #expect(try await directory.source(writeKey: second.key)?.id == web.id)  // served from memory
        directory.evict(writeKeys: [second.key])
        #expect(try await directory.source(writeKey: second.key) == nil)
        await catalog.close()
    }
}
