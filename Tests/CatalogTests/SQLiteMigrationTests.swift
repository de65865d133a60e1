import Catalog
import CatalogSQLite
import Logging
import SQLiteNIO
import SluiceTesting
import Testing

/// The embedded catalog's versioned schema: files written before versions were recorded migrate in place, and a
/// file from a newer Sluice is refused untouched.
@Suite struct SQLiteMigrationTests {
    let logger = Logger(label: "test.catalog.migration")

    /// A catalog as Sluice wrote it before schema versions (user_version 0, the key inside `sources`).
    func writeUnversionedCatalog(at path: String) async throws {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        for statement in [
            """
            CREATE TABLE sources (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, write_key TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL)
            """,
            """
            CREATE TABLE quarantine (id INTEGER PRIMARY KEY AUTOINCREMENT, source_id TEXT NOT NULL REFERENCES
            sources(id), received_at INTEGER NOT NULL, batch_index INTEGER NOT NULL, code TEXT NOT NULL,
            message TEXT NOT NULL, raw BLOB NOT NULL)
            """,
            "INSERT INTO sources VALUES ('src1', 'web', 'legacy-key-0001', 5)",
            "INSERT INTO quarantine (source_id, received_at, batch_index, code, message, raw) VALUES "
                + "('src1', 6, 0, 'missing_event', 'm', x'00')",
        ] {
            _ = try await connection.query(statement)
        }
        try await connection.close()
    }

    @Test func anUnversionedCatalogMigratesKeepingKeysAndRows() async throws {
        let dir = try TemporaryDirectory("catalog-migration")
        defer { dir.remove() }
        let path = dir.path + "/catalog.sqlite"
        try await writeUnversionedCatalog(at: path)

        let catalog = try await SQLiteCatalog.open(path: path, logger: logger)
        let source = try #require(try await catalog.source(writeKey: "legacy-key-0001"))
        #expect(source.id == "src1" && source.name == "web" && source.writeKey == "legacy-key-0001")
        #expect(try await catalog.writeKeys(sourceID: "src1").map(\.createdAtMilliseconds) == [5])
        #expect(try await catalog.quarantined(sourceID: "src1", limit: 5).count == 1)
        // The rebuilt table still satisfies the references to it.
        try await catalog.createDestination(
            Destination(id: "d1", sourceID: "src1", bucket: "b-1", createdAtMilliseconds: 7))
        _ = try await catalog.addWriteKey(sourceID: "src1", key: "second-key-0002", nowMilliseconds: 8)
        await catalog.close()

        let reopened = try await SQLiteCatalog.open(path: path, logger: logger)
        #expect(try await reopened.source(writeKey: "second-key-0002")?.id == "src1")
        await reopened.close()
        let raw = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let version = try await raw.query("PRAGMA user_version").first?.column("user_version")?.integer
        try await raw.close()
        #expect(version == SQLiteCatalog.schemaVersion)
    }

    @Test func aCatalogFromANewerSluiceIsRefusedUntouched() async throws {
        let dir = try TemporaryDirectory("catalog-migration")
        defer { dir.remove() }
        let path = dir.path + "/catalog.sqlite"
        let catalog = try await SQLiteCatalog.open(path: path, logger: logger)
        _ = try await catalog.createSource(name: "web", writeKey: "newer-key-0001", nowMilliseconds: 1)
        await catalog.close()
        let raw = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        _ = try await raw.query("PRAGMA user_version = \(SQLiteCatalog.schemaVersion + 1)")
        try await raw.close()

        do throws(CatalogError) {
            _ = try await SQLiteCatalog.open(path: path, logger: logger)
            Issue.record("a newer schema was opened")
        } catch {
            #expect(error.code == .schemaTooNew)
            #expect(error.message.contains("newer"))
        }
        let check = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let version = try await check.query("PRAGMA user_version").first?.column("user_version")?.integer
        try await check.close()
        #expect(version == SQLiteCatalog.schemaVersion + 1)
    }
}
