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
                try binds(destination))
        } catch  where error.code == .duplicate {
            throw CatalogError(
                .duplicate,
                "source \(destination.sourceID) already has a destination for '\(destination.bucket)'; "
                    + "change it with `sluice destinations update` instead of adding another")
        }
    }

    public func destinations() async throws(CatalogError) -> [Destination] {
        var found: [Destination] = []
        for row in try await run("SELECT \(Self.destinationColumns) FROM destinations ORDER BY created_at, id") {
            if let destination = try destination(from: row) { found.append(destination) }
        }
        return found
    }

    public func destination(id: String) async throws(CatalogError) -> Destination? {
        guard
            let row = try await run("SELECT \(Self.destinationColumns) FROM destinations WHERE id = ?", [.text(id)])
                .first
        else { return nil }
        return try destination(from: row)
    }

    public func updateDestination(_ destination: Destination) async throws(CatalogError) {
        guard try await self.destination(id: destination.id) != nil else { throw Self.noDestination(destination.id) }
        var binds = Array(try binds(destination).dropFirst(2))
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

    func binds(_ d: Destination) throws(CatalogError) -> [SQLiteData] {
        let access = try d.access.stored(destinationID: d.id, sealer: secrets)
        func text(_ value: String?) -> SQLiteData { value.map(SQLiteData.text) ?? .null }
        return [
            .text(d.id), .text(d.sourceID), .text(d.bucket), .text(d.encryption.storedValue), .text(access.kind),
            text(access.accessKeyID), text(access.secret), text(access.roleARN), text(access.externalID),
            .text(d.endpoint ?? ""), text(d.region), .integer(d.enabled ? 1 : 0),
            .integer(Int(d.createdAtMilliseconds)),
            .integer(Int(d.updatedAtMilliseconds)),
        ]
    }

    func destination(from row: SQLiteRow) throws(CatalogError) -> Destination? {
        guard let id = row.column("id")?.string, let source = row.column("source_id")?.string,
            let bucket = row.column("bucket")?.string,
            let encryption = row.column("encryption")?.string.flatMap(DestinationEncryption.init(storedValue:)),
            let kind = row.column("access_kind")?.string, let enabled = row.column("enabled")?.integer,
            let created = row.column("created_at")?.integer, let updated = row.column("updated_at")?.integer
        else { return nil }
        let columns = StoredAccess(
            kind: kind, accessKeyID: row.column("access_key_id")?.string,
            secret: row.column("secret_access_key")?.string, roleARN: row.column("role_arn")?.string,
            externalID: row.column("external_id")?.string)
        guard let access = try DestinationAccess(stored: columns, destinationID: id, sealer: secrets) else {
            return nil
        }
        let endpoint = row.column("endpoint")?.string ?? ""
        return Destination(
            id: id, sourceID: source, bucket: bucket, encryption: encryption, access: access,
            endpoint: endpoint.isEmpty ? nil : endpoint, region: row.column("region")?.string, enabled: enabled != 0,
            createdAtMilliseconds: Int64(created), updatedAtMilliseconds: Int64(updated))
    }
}
