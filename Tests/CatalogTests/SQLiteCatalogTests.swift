import Catalog
import CatalogSQLite
import Logging
import SluiceTesting
import Testing

@Suite struct SQLiteCatalogTests {
    let logger = Logger(label: "test.catalog")

    @Test func createdSourcesAreFoundByKeyIdAndNameAndSurviveReopen() async throws {
        let dir = try TemporaryDirectory("catalog")
        defer { dir.remove() }
        let path = dir.path + "/catalog.sqlite"
        let catalog = try await SQLiteCatalog.open(path: path, logger: logger)
        let web = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 1)
        let api = try await catalog.createSource(name: "api", writeKey: "my-chosen-key-123", nowMilliseconds: 2)
        #expect(web.id.count == 22 && web.writeKey.count == 32)
        #expect(api.writeKey == "my-chosen-key-123")
        await catalog.close()

        let reopened = try await SQLiteCatalog.open(path: path, logger: logger)
        #expect(try await reopened.sources().map(\.name) == ["web", "api"])
        #expect(try await reopened.source(writeKey: web.writeKey) == web)
        #expect(try await reopened.source(writeKey: "unknown-key-000") == nil)
        #expect(try await reopened.source(idOrName: "api") == api)
        #expect(try await reopened.source(idOrName: api.id) == api)
        await reopened.close()
    }

    @Test(arguments: ["", "has space", "../etc", ".hidden", String(repeating: "x", count: 65), "semi;colon"])
    func invalidNamesAreRejected(name: String) async throws {
        let dir = try TemporaryDirectory("catalog")
        defer { dir.remove() }
        let catalog = try await SQLiteCatalog.open(path: dir.path + "/c.sqlite", logger: logger)
        await #expect(throws: CatalogError.self) {
            _ = try await catalog.createSource(name: name, writeKey: nil, nowMilliseconds: 0)
        }
        #expect(try await catalog.sources().isEmpty)
        await catalog.close()
    }

    @Test func duplicateNamesAndKeysAreRejectedWithAClearError() async throws {
        let dir = try TemporaryDirectory("catalog")
        defer { dir.remove() }
        let catalog = try await SQLiteCatalog.open(path: dir.path + "/c.sqlite", logger: logger)
        _ = try await catalog.createSource(name: "web", writeKey: "key-aaaaaaaa", nowMilliseconds: 0)
        do {
            _ = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 0)
            Issue.record("duplicate name accepted")
        } catch {
            #expect(error.code == .duplicate)
            #expect(error.message.contains("web"))
        }
        await #expect(throws: CatalogError.self) {
            _ = try await catalog.createSource(name: "other", writeKey: "key-aaaaaaaa", nowMilliseconds: 0)
        }
        await #expect(throws: CatalogError.self) {
            _ = try await catalog.createSource(name: "bad-key", writeKey: "has:colon", nowMilliseconds: 0)
        }
        await catalog.close()
    }

    @Test func quarantineKeepsRawBytesAndReasonsNewestFirst() async throws {
        let dir = try TemporaryDirectory("catalog")
        defer { dir.remove() }
        let catalog = try await SQLiteCatalog.open(path: dir.path + "/c.sqlite", logger: logger)
        let source = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 0)
        let raw: [UInt8] = Array(#"{"type":"track","userId":"u1"}"#.utf8) + [0xFF, 0x00]
        try await catalog.quarantine([
            QuarantinedEvent(
                sourceID: source.id, receivedAtMilliseconds: 10, index: 3, code: "missing_event", message: "m1",
                raw: raw),
            QuarantinedEvent(
                sourceID: source.id, receivedAtMilliseconds: 10, index: 7, code: "invalid_type", message: "m2", raw: []),
        ])
        let listed = try await catalog.quarantined(sourceID: source.id, limit: 10)
        #expect(listed.map(\.index) == [7, 3])
        #expect(listed[1].raw == raw)
        #expect(listed[1].code == "missing_event")
        #expect(try await catalog.quarantined(sourceID: source.id, limit: 1).count == 1)
        await catalog.close()
    }
}
