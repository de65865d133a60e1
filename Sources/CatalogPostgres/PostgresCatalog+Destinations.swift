import Catalog
import PostgresNIO

extension PostgresCatalog: DestinationCatalog {
    static let destinationColumns = """
        id, source_id, bucket, encryption, access_kind, access_key_id, secret_access_key, role_arn, external_id,
        endpoint, region, enabled, created_at, updated_at
        """

    public func createDestination(_ destination: Destination) async throws(CatalogError) {
        guard try await source(idOrName: destination.sourceID)?.id == destination.sourceID else {
            throw CatalogError(.notFound, "no source with id '\(destination.sourceID)'; see `sluice sources list`")
        }
        var query = PostgresQuery(
            unsafeSQL: "INSERT INTO destinations (\(Self.destinationColumns)) VALUES "
                + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
        try bind(destination, into: &query.binds)
        do throws(CatalogError) {
            try await run(query)
        } catch  where error.code == .duplicate {
            throw CatalogError(
                .duplicate,
                "source \(destination.sourceID) already has a destination for '\(destination.bucket)'; "
                    + "change it with `sluice destinations update` instead of adding another")
        }
    }

    public func destinations() async throws(CatalogError) -> [Destination] {
        var found: [Destination] = []
        let query = PostgresQuery(
            unsafeSQL: "SELECT \(Self.destinationColumns) FROM destinations ORDER BY created_at, id")
        for row in try await run(query) {
            if let destination = try destination(from: row) { found.append(destination) }
        }
        return found
    }

    public func destination(id: String) async throws(CatalogError) -> Destination? {
        var query = PostgresQuery(unsafeSQL: "SELECT \(Self.destinationColumns) FROM destinations WHERE id = $1")
        query.binds.append(id)
        guard let row = try await run(query).first else { return nil }
        return try destination(from: row)
    }

    public func updateDestination(_ destination: Destination) async throws(CatalogError) {
        guard try await self.destination(id: destination.id) != nil else { throw Self.noDestination(destination.id) }
        // The same fourteen binds as an insert; source_id ($2) and created_at ($13) never change.
        var query = PostgresQuery(
            unsafeSQL: """
                UPDATE destinations SET bucket = $3, encryption = $4, access_kind = $5, access_key_id = $6,
                secret_access_key = $7, role_arn = $8, external_id = $9, endpoint = $10, region = $11, enabled = $12,
                updated_at = $14 WHERE id = $1 AND source_id = $2 AND created_at = $13
                """)
        try bind(destination, into: &query.binds)
        do throws(CatalogError) {
            try await run(query)
        } catch  where error.code == .duplicate {
            throw CatalogError(.duplicate, "another destination of this source already uses '\(destination.bucket)'")
        }
    }

    public func removeDestination(id: String) async throws(CatalogError) {
        guard try await destination(id: id) != nil else { throw Self.noDestination(id) }
        try await run("DELETE FROM destinations WHERE id = \(id)")
    }

    static func noDestination(_ id: String) -> CatalogError {
        CatalogError(.notFound, "no destination with id '\(id.prefix(64))'; see `sluice destinations list`")
    }

    func bind(_ d: Destination, into binds: inout PostgresBindings) throws(CatalogError) {
        let access = try d.access.stored(destinationID: d.id, sealer: secrets)
        binds.append(d.id)
        binds.append(d.sourceID)
        binds.append(d.bucket)
        binds.append(d.encryption.storedValue)
        binds.append(access.kind)
        binds.append(access.accessKeyID)
        binds.append(access.secret)
        binds.append(access.roleARN)
        binds.append(access.externalID)
        binds.append(d.endpoint ?? "")
        binds.append(d.region)
        binds.append(d.enabled)
        binds.append(d.createdAtMilliseconds)
        binds.append(d.updatedAtMilliseconds)
    }

    func destination(from row: PostgresRandomAccessRow) throws(CatalogError) -> Destination? {
        guard let id = try? Self.string(row, "id"), let source = try? Self.string(row, "source_id"),
            let bucket = try? Self.string(row, "bucket"),
            let encryption = (try? Self.string(row, "encryption")).flatMap(DestinationEncryption.init(storedValue:)),
            let kind = try? Self.string(row, "access_kind"),
            let enabled = try? Self.decode(row, "enabled", as: Bool.self),
            let created = try? Self.int(row, "created_at"), let updated = try? Self.int(row, "updated_at")
        else { return nil }
        let columns = StoredAccess(
            kind: kind, accessKeyID: (try? Self.optionalString(row, "access_key_id")) ?? nil,
            secret: (try? Self.optionalString(row, "secret_access_key")) ?? nil,
            roleARN: (try? Self.optionalString(row, "role_arn")) ?? nil,
            externalID: (try? Self.optionalString(row, "external_id")) ?? nil)
        guard let access = try DestinationAccess(stored: columns, destinationID: id, sealer: secrets) else {
            return nil
        }
        let endpoint = (try? Self.string(row, "endpoint")) ?? ""
        return Destination(
            id: id, sourceID: source, bucket: bucket, encryption: encryption, access: access,
            endpoint: endpoint.isEmpty ? nil : endpoint, region: (try? Self.optionalString(row, "region")) ?? nil,
            enabled: enabled, createdAtMilliseconds: created, updatedAtMilliseconds: updated)
    }
}
