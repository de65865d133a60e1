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
        Self.bind(destination, into: &query.binds)
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
        try await run(
            PostgresQuery(unsafeSQL: "SELECT \(Self.destinationColumns) FROM destinations ORDER BY created_at, id")
        ).compactMap(Self.destination(from:))
    }

    public func destination(id: String) async throws(CatalogError) -> Destination? {
        var query = PostgresQuery(unsafeSQL: "SELECT \(Self.destinationColumns) FROM destinations WHERE id = $1")
        query.binds.append(id)
        return try await run(query).first.flatMap(Self.destination(from:))
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
        Self.bind(destination, into: &query.binds)
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

    static func bind(_ d: Destination, into binds: inout PostgresBindings) {
        var keyID: String?
        var secret: String?
        var role: String?
        var externalID: String?
        switch d.access {
        case .defaultChain: break
        case .staticKeys(let id, let key): (keyID, secret) = (id, key)
        case .assumeRole(let arn, let external): (role, externalID) = (arn, external)
        }
        binds.append(d.id)
        binds.append(d.sourceID)
        binds.append(d.bucket)
        binds.append(d.encryption.storedValue)
        binds.append(d.access.kind)
        binds.append(keyID)
        binds.append(secret)
        binds.append(role)
        binds.append(externalID)
        binds.append(d.endpoint ?? "")
        binds.append(d.region)
        binds.append(d.enabled)
        binds.append(d.createdAtMilliseconds)
        binds.append(d.updatedAtMilliseconds)
    }

    static func destination(from row: PostgresRandomAccessRow) -> Destination? {
        guard let id = try? string(row, "id"), let source = try? string(row, "source_id"),
            let bucket = try? string(row, "bucket"),
            let encryption = (try? string(row, "encryption")).flatMap(DestinationEncryption.init(storedValue:)),
            let kind = try? string(row, "access_kind"), let enabled = try? decode(row, "enabled", as: Bool.self),
            let created = try? int(row, "created_at"), let updated = try? int(row, "updated_at")
        else { return nil }
        let access: DestinationAccess
        switch kind {
        case "keys":
            guard let keyID = try? optionalString(row, "access_key_id"),
                let secret = try? optionalString(row, "secret_access_key")
            else { return nil }
            access = .staticKeys(accessKeyID: keyID, secretAccessKey: secret)
        case "role":
            guard let arn = try? optionalString(row, "role_arn") else { return nil }
            access = .assumeRole(roleARN: arn, externalID: (try? optionalString(row, "external_id")) ?? nil)
        default:
            access = .defaultChain
        }
        let endpoint = (try? string(row, "endpoint")) ?? ""
        return Destination(
            id: id, sourceID: source, bucket: bucket, encryption: encryption, access: access,
            endpoint: endpoint.isEmpty ? nil : endpoint, region: (try? optionalString(row, "region")) ?? nil,
            enabled: enabled, createdAtMilliseconds: created, updatedAtMilliseconds: updated)
    }
}
