import Catalog
import SQLiteNIO

extension SQLiteCatalog: DestinationCatalog {
    static let destinationColumns = """
        id, source_id, bucket, encryption, access_kind, access_key_id, secret_access_key, role_arn, external_id,
        endpoint, region, enabled, created_at, updated_at
        """

    public func createDestination(_ destination: Destination) async throws(CatalogError) {
        guard try await source(idOrName: destination.sourceID)?.id == destination.sourceID else {
            throw CatalogError(.notFound, "no source with id '\(destination.sourceID)'; see `sluice sources list`")
        }
        do {
            try await run(
                "INSERT INTO destinations (\(Self.destinationColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Self.binds(destination))
        } catch  where error.code == .duplicate {
            throw CatalogError(
                .duplicate,
                "source \(destination.sourceID) already has a destination for '\(destination.bucket)'; "
                    + "change it with `sluice destinations update` instead of adding another")
        }
    }

    public func destinations() async throws(CatalogError) -> [Destination] {
        try await run("SELECT \(Self.destinationColumns) FROM destinations ORDER BY created_at, id")
            .compactMap(Self.destination(from:))
    }

    public func destination(id: String) async throws(CatalogError) -> Destination? {
        try await run("SELECT \(Self.destinationColumns) FROM destinations WHERE id = ?", [.text(id)])
            .first.flatMap(Self.destination(from:))
    }

    public func updateDestination(_ destination: Destination) async throws(CatalogError) {
        guard try await self.destination(id: destination.id) != nil else { throw Self.noDestination(destination.id) }
        var binds = Array(Self.binds(destination).dropFirst(2))
        binds.removeSubrange(10...10)  // created_at never changes
        binds.append(.text(destination.id))
        do {
            try await run(
                """
                UPDATE destinations SET bucket = ?, encryption = ?, access_kind = ?, access_key_id = ?,
                secret_access_key = ?, role_arn = ?, external_id = ?, endpoint = ?, region = ?, enabled = ?,
                updated_at = ? WHERE id = ?
                """, binds)
        } catch  where error.code == .duplicate {
            throw CatalogError(.duplicate, "another destination of this source already uses '\(destination.bucket)'")
        }
    }

    public func removeDestination(id: String) async throws(CatalogError) {
        guard try await destination(id: id) != nil else { throw Self.noDestination(id) }
        try await run("DELETE FROM destinations WHERE id = ?", [.text(id)])
    }

    static func noDestination(_ id: String) -> CatalogError {
        CatalogError(.notFound, "no destination with id '\(id.prefix(64))'; see `sluice destinations list`")
    }

    static func binds(_ d: Destination) -> [SQLiteData] {
        var keyID: SQLiteData = .null
        var secret: SQLiteData = .null
        var role: SQLiteData = .null
        var externalID: SQLiteData = .null
        switch d.access {
        case .defaultChain: break
        case .staticKeys(let id, let key): (keyID, secret) = (.text(id), .text(key))
        case .assumeRole(let arn, let external):
            (role, externalID) = (.text(arn), external.map(SQLiteData.text) ?? .null)
        }
        return [
            .text(d.id), .text(d.sourceID), .text(d.bucket), .text(d.encryption.storedValue), .text(d.access.kind),
            keyID, secret, role, externalID, .text(d.endpoint ?? ""), d.region.map(SQLiteData.text) ?? .null,
            .integer(d.enabled ? 1 : 0), .integer(Int(d.createdAtMilliseconds)), .integer(Int(d.updatedAtMilliseconds)),
        ]
    }

    static func destination(from row: SQLiteRow) -> Destination? {
        guard let id = row.column("id")?.string, let source = row.column("source_id")?.string,
            let bucket = row.column("bucket")?.string,
            let encryption = row.column("encryption")?.string.flatMap(DestinationEncryption.init(storedValue:)),
            let kind = row.column("access_kind")?.string, let enabled = row.column("enabled")?.integer,
            let created = row.column("created_at")?.integer, let updated = row.column("updated_at")?.integer
        else { return nil }
        let access: DestinationAccess
        switch kind {
        case "keys":
            guard let keyID = row.column("access_key_id")?.string, let secret = row.column("secret_access_key")?.string
            else { return nil }
            access = .staticKeys(accessKeyID: keyID, secretAccessKey: secret)
        case "role":
            guard let arn = row.column("role_arn")?.string else { return nil }
            access = .assumeRole(roleARN: arn, externalID: row.column("external_id")?.string)
        default:
            access = .defaultChain
        }
        let endpoint = row.column("endpoint")?.string ?? ""
        return Destination(
            id: id, sourceID: source, bucket: bucket, encryption: encryption, access: access,
            endpoint: endpoint.isEmpty ? nil : endpoint, region: row.column("region")?.string, enabled: enabled != 0,
            createdAtMilliseconds: Int64(created), updatedAtMilliseconds: Int64(updated))
    }
}
