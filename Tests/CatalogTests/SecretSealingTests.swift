import Catalog
import CatalogPostgres
import CatalogSQLite
import Foundation
import Logging
import SluiceTesting
import Testing

@Suite struct SecretSealerTests {
    let key = SecretKey.generate().key
    let other = SecretKey.generate().key

    @Test func sealedSecretsOpenOnlyWithTheirKeyAndDestination() throws {
        let sealer = SecretSealer(key: key)
        let sealed = try sealer.seal("wJalrXUtnFEMI/K7MDENG", context: "dest-1")
        #expect(SecretSealer.isSealed(sealed) && !sealed.contains("wJalrXUtnFEMI"))
        #expect(try sealer.open(sealed, context: "dest-1") == "wJalrXUtnFEMI/K7MDENG")
        #expect(try sealer.seal("wJalrXUtnFEMI/K7MDENG", context: "dest-1") != sealed, "a fresh nonce every time")

        let wrongKey = #expect(throws: CatalogError.self) {
            try SecretSealer(key: other).open(sealed, context: "dest-1")
        }
        #expect(wrongKey?.code == .secretKeyMismatch)
        #expect(wrongKey?.message.contains(key.id) == true && wrongKey?.message.contains(other.id) == true)
        let moved = #expect(throws: CatalogError.self) { try sealer.open(sealed, context: "dest-2") }
        #expect(moved?.code == .secretKeyMismatch)
        var damaged = Array(sealed)
        damaged[damaged.count - 3] = damaged[damaged.count - 3] == "A" ? "B" : "A"
        #expect(throws: CatalogError.self) { try sealer.open(String(damaged), context: "dest-1") }
        let missing = #expect(throws: CatalogError.self) {
            try SecretSealer.withoutKey(advice: "set SLUICE_SECRET_KEY").open(sealed, context: "dest-1")
        }
        #expect(missing?.code == .secretKeyMissing)
        for error in [wrongKey, moved, missing].compactMap({ $0 }) {
            #expect(!error.description.contains("wJalrXUtnFEMI") && !error.description.contains(sealed))
        }
        #expect(try sealer.open("legacy-plain", context: "dest-1") == "legacy-plain")
    }

    @Test func keysParseFromBase64OrHexAndNothingElse() throws {
        let bytes = (0..<32).map { UInt8($0) }
        let base64 = Data(bytes).base64EncodedString()
        let hex = bytes.map { String(format: "%02X", $0) }.joined()
        #expect(try SecretKey.parse(base64 + "\n", origin: "k").id == SecretKey(bytes: bytes).id)
        #expect(try SecretKey.parse(hex, origin: "k").id == SecretKey(bytes: bytes).id)
        for bad in ["", "short", Data(bytes.prefix(16)).base64EncodedString(), String(hex.dropLast()) + "g"] {
            let error = #expect(throws: CatalogError.self) { try SecretKey.parse(bad, origin: "SLUICE_SECRET_KEY") }
            #expect(error?.message.contains("SLUICE_SECRET_KEY") == true)
            if !bad.isEmpty { #expect(error?.message.contains(bad) == false) }
        }
        #expect(SecretKey.generate().key.id != SecretKey.generate().key.id)
    }
}

@Suite struct CatalogSecretStorageTests {
    let logger = Logger(label: "test.catalog.secrets")
    static let secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"

    func destination(_ id: String, source: String, bucket: String, access: DestinationAccess) -> Destination {
        Destination(id: id, sourceID: source, bucket: bucket, access: access, createdAtMilliseconds: 1)
    }

    @Test func sqliteStoresSecretsSealedAndSealsOldPlaintextRowsAtOpen() async throws {
        let dir = try TemporaryDirectory("catalog-secrets")
        defer { dir.remove() }
        let path = dir.path + "/catalog.sqlite"
        let catalog = try await SQLiteCatalog.open(path: path, logger: logger)
        let source = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 1)
        let keys = destination(
            "d1", source: source.id, bucket: "b1",
            access: .staticKeys(accessKeyID: "AKIA1", secretAccessKey: Self.secret))
        let fromEnv = destination(
            "d2", source: source.id, bucket: "b2",
            access: .environmentKeys(accessKeyID: "AKIA2", secretVariable: "DEST_SECRET"))
        try await catalog.createDestination(keys)
        try await catalog.createDestination(fromEnv)
        #expect(try await catalog.destinations() == [keys, fromEnv])
        await catalog.close()

        let stored = try sqlite(path, "SELECT secret_access_key FROM destinations ORDER BY id")
        #expect(stored.hasPrefix("sluice-sealed:v1:") && !stored.contains(Self.secret))
        #expect(stored.contains("\nDEST_SECRET"), "only the variable's name: \(stored)")
        let keyFile = dir.path + "/secret-key"
        var info = stat()
        #expect(stat(keyFile, &info) == 0 && info.st_mode & 0o777 == 0o600)

        // A catalog an older Sluice wrote: the secret in plain text. Opening it seals it, and no copy of the
        // plaintext stays in the file or its WAL.
        _ = try sqlite(path, "UPDATE destinations SET secret_access_key = '\(Self.secret)' WHERE id = 'd1'")
        #expect(try fileContains(path, Self.secret) || fileContains(path + "-wal", Self.secret))
        let reopened = try await SQLiteCatalog.open(path: path, logger: logger)
        #expect(try await reopened.destination(id: "d1") == keys)
        await reopened.close()
        #expect(
            try sqlite(path, "SELECT secret_access_key FROM destinations WHERE id = 'd1'").hasPrefix("sluice-sealed"))
        #expect(try !fileContains(path, Self.secret) && !fileContains(path + "-wal", Self.secret))

        // Another key (say a moved catalog without its key file): a clear error, never the secret.
        let wrong = SecretSealer(key: try SecretKey(bytes: Array(repeating: 9, count: 32)))
        let other = try await SQLiteCatalog.open(path: path, secrets: wrong, logger: logger)
        let error = await #expect(throws: CatalogError.self) { try await other.destinations() }
        #expect(error?.code == .secretKeyMismatch && error?.message.contains(Self.secret) == false)
        #expect(try await other.sources().count == 1, "the rest of the catalog still reads")
        await other.close()
    }

    @Test func postgresSealsWithTheClusterKeyAndRefusesStaticSecretsWithoutOne() async throws {
        let server = try await SharedPostgres.server()
        let database = "secrets_" + Identifiers.random(12).lowercased()
        try server.createDatabase(database)
        let url = try PostgresURL.parse(server.url(database: database))
        let keyless = try await PostgresCatalog.open(url: url, logger: logger)
        let source = try await keyless.createSource(name: "web", writeKey: nil, nowMilliseconds: 1)
        let keys = destination(
            "d1", source: source.id, bucket: "b1",
            access: .staticKeys(accessKeyID: "AKIA1", secretAccessKey: Self.secret))
        let refused = await #expect(throws: CatalogError.self) { try await keyless.createDestination(keys) }
        #expect(refused?.code == .secretKeyMissing && refused?.message.contains("SLUICE_SECRET_KEY") == true)
        #expect(try await keyless.destinations().isEmpty, "nothing stored")
        let fromEnv = destination(
            "d2", source: source.id, bucket: "b2",
            access: .environmentKeys(accessKeyID: "AKIA2", secretVariable: "DEST_SECRET"))
        try await keyless.createDestination(fromEnv)
        await keyless.close()

        let keyed = try await PostgresCatalog.open(
            url: url, secrets: CatalogImplementation.clusterSealer, logger: logger)
        try await keyed.createDestination(keys)
        #expect(try await keyed.destinations() == [keys, fromEnv])
        let stored = try server.psql("SELECT secret_access_key FROM destinations WHERE id = 'd1'", database: database)
        #expect(stored.hasPrefix("sluice-sealed:v1:") && !stored.contains(Self.secret))

        // A plaintext row from an older Sluice is sealed by the next node that opens with the key.
        _ = try server.psql(
            "UPDATE destinations SET secret_access_key = '\(Self.secret)' WHERE id = 'd1'", database: database)
        await keyed.close()
        let again = try await PostgresCatalog.open(
            url: url, secrets: CatalogImplementation.clusterSealer, logger: logger)
        #expect(try await again.destination(id: "d1") == keys)
        await again.close()
        let resealed = try server.psql("SELECT secret_access_key FROM destinations WHERE id = 'd1'", database: database)
        #expect(resealed.hasPrefix("sluice-sealed:v1:"))
    }

    func sqlite(_ path: String, _ sql: String) throws -> String {
        let result = try runCommand("/usr/bin/sqlite3", [path, sql])
        guard result.status == 0 else { throw TestSupportError("sqlite3: \(result.output)") }
        return result.output
    }

    func fileContains(_ path: String, _ text: String) throws -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return data.range(of: Data(text.utf8)) != nil
    }
}
