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

    @Test func aKnownKeyIsServedFromMemoryWhileTheCatalogFails() async throws {
        let dir = try TemporaryDirectory("source-directory-outage")
        defer { dir.remove() }
        let sqlite = try await SQLiteCatalog.open(path: dir.path + "/catalog.sqlite", logger: Logger(label: "test"))
        let catalog = UnreachableCatalog(sqlite)
        let clock = Mutex<Int64>(1_000)
        let directory = SourceDirectory(catalog: catalog, now: { clock.withLock { $0 } })
        let web = try await sqlite.createSource(name: "web", writeKey: "web-key-00001", nowMilliseconds: 0)
        #expect(try await directory.source(writeKey: "web-key-00001") == web)
        catalog.down.withLock { $0 = true }
        clock.withLock { $0 += 60_000 }
        #expect(try await directory.source(writeKey: "web-key-00001") == web)
        await #expect(throws: CatalogError.self) { try await directory.source(writeKey: "never-seen-key") }
        await sqlite.close()
    }

    /// During an outage an unknown key is not "unknown" (401) but unanswerable (`.unavailable`, the route's 503), and
    /// for a second after a failure the dead catalog is not asked again, for any key; then it is, and a source
    /// created meanwhile is found.
    @Test func anUnknownKeyDuringAnOutageIsUnavailableAndTheCatalogIsAskedAtMostOncePerSecond() async throws {
        let dir = try TemporaryDirectory("source-directory-gate")
        defer { dir.remove() }
        let sqlite = try await SQLiteCatalog.open(path: dir.path + "/catalog.sqlite", logger: Logger(label: "test"))
        let catalog = UnreachableCatalog(sqlite)
        let clock = Mutex<Int64>(1_000)
        let directory = SourceDirectory(catalog: catalog, now: { clock.withLock { $0 } })
        let web = try await sqlite.createSource(name: "web", writeKey: "web-key-00001", nowMilliseconds: 0)
        #expect(try await directory.source(writeKey: "web-key-00001") == web)
        catalog.down.withLock { $0 = true }
        clock.withLock { $0 += 10_000 }
        for key in ["unseen-key-0001", "unseen-key-0002", "unseen-key-0001"] {
            let error = await #expect(throws: CatalogError.self) { try await directory.source(writeKey: key) }
            #expect(error?.code == .unavailable)
        }
        #expect(try await directory.source(writeKey: "web-key-00001") == web)  // its TTL ran out: served stale
        #expect(catalog.refused.withLock { $0 } == 1, "one call reached the dead catalog")
        clock.withLock { $0 += 1_000 }
        await #expect(throws: CatalogError.self) { try await directory.source(writeKey: "unseen-key-0002") }
        #expect(catalog.refused.withLock { $0 } == 2)

        let mobile = try await sqlite.createSource(name: "mobile", writeKey: "unseen-key-0002", nowMilliseconds: 1)
        catalog.down.withLock { $0 = false }
        clock.withLock { $0 += 1_000 }
        #expect(try await directory.source(writeKey: "unseen-key-0002") == mobile)
        #expect(try await directory.source(writeKey: "unseen-key-0001") == nil)  // answered again: unknown
        await sqlite.close()
    }

    /// A failing call that took long (a statement timeout) still keeps the catalog from being asked for a second
    /// after it ended, and extends a seen key from then: the next requests are answered at once.
    @Test func theWaitAfterAFailureCountsFromWhenTheCallFailed() async throws {
        let dir = try TemporaryDirectory("source-directory-slow-failure")
        defer { dir.remove() }
        let sqlite = try await SQLiteCatalog.open(path: dir.path + "/catalog.sqlite", logger: Logger(label: "test"))
        let catalog = UnreachableCatalog(sqlite)
        let clock = Mutex<Int64>(1_000)
        let directory = SourceDirectory(catalog: catalog, now: { clock.withLock { $0 } })
        let web = try await sqlite.createSource(name: "web", writeKey: "web-key-00001", nowMilliseconds: 0)
        #expect(try await directory.source(writeKey: "web-key-00001") == web)
        catalog.down.withLock { $0 = true }
        catalog.whileRefusing.withLock { $0 = { clock.withLock { $0 += 10_000 } } }
        clock.withLock { $0 += 6_000 }
        #expect(try await directory.source(writeKey: "web-key-00001") == web)  // asked, timed out, served stale
        #expect(catalog.refused.withLock { $0 } == 1)
        #expect(try await directory.source(writeKey: "web-key-00001") == web)
        await #expect(throws: CatalogError.self) { try await directory.source(writeKey: "unseen-key-0003") }
        #expect(catalog.refused.withLock { $0 } == 1, "not asked again right after the slow failure")
        await sqlite.close()
    }
}

/// The real SQLite catalog, made unreachable on demand (as PostgreSQL restarting is).
final class UnreachableCatalog: CatalogStore {
    let inner: SQLiteCatalog
    let down = Mutex(false)
    /// Calls made while down.
    let refused = Mutex(0)
    /// Run by each refused call before it fails (a test advances its clock: a call that times out takes seconds).
    let whileRefusing = Mutex<(@Sendable () -> Void)?>(nil)

    init(_ inner: SQLiteCatalog) { self.inner = inner }

    func check() throws(CatalogError) {
        if down.withLock({ $0 }) {
            refused.withLock { $0 += 1 }
            whileRefusing.withLock { $0 }?()
            throw CatalogError(.unavailable, "the catalog is down")
        }
    }

    func createSource(id: String?, name: String, writeKey: String?, nowMilliseconds: Int64)
        async throws(CatalogError) -> Source
    {
        try check()
        return try await inner.createSource(id: id, name: name, writeKey: writeKey, nowMilliseconds: nowMilliseconds)
    }
    func sources() async throws(CatalogError) -> [Source] {
        try check()
        return try await inner.sources()
    }
    func source(writeKey: String) async throws(CatalogError) -> Source? {
        try check()
        return try await inner.source(writeKey: writeKey)
    }
    func source(idOrName: String) async throws(CatalogError) -> Source? {
        try check()
        return try await inner.source(idOrName: idOrName)
    }
    func writeKeys(sourceID: String) async throws(CatalogError) -> [WriteKey] {
        try check()
        return try await inner.writeKeys(sourceID: sourceID)
    }
    func addWriteKey(sourceID: String, key: String?, nowMilliseconds: Int64) async throws(CatalogError) -> WriteKey {
        try check()
        return try await inner.addWriteKey(sourceID: sourceID, key: key, nowMilliseconds: nowMilliseconds)
    }
    func revokeWriteKey(_ key: String, nowMilliseconds: Int64) async throws(CatalogError) {
        try check()
        try await inner.revokeWriteKey(key, nowMilliseconds: nowMilliseconds)
    }
    func renameSource(id: String, to name: String) async throws(CatalogError) -> Source {
        try check()
        return try await inner.renameSource(id: id, to: name)
    }
    func deleteSource(id: String) async throws(CatalogError) {
        try check()
        try await inner.deleteSource(id: id)
    }
    func quarantine(_ events: [QuarantinedEvent]) async throws(CatalogError) {
        try check()
        try await inner.quarantine(events)
    }
    func quarantined(sourceID: String, limit: Int) async throws(CatalogError) -> [QuarantinedEvent] {
        try check()
        return try await inner.quarantined(sourceID: sourceID, limit: limit)
    }
    func close() async { await inner.close() }
}
