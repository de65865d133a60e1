import Catalog
import PostgresNIO

extension PostgresCatalog {
    /// Seals the static-key secrets an older Sluice stored in plain text, when this node has a key; without one it
    /// warns, naming the destinations (never the secrets). Each row is updated only if it still holds the value
    /// read. Old row versions stay in PostgreSQL's heap until vacuum and in its WAL archives and backups: the
    /// README says to run `VACUUM FULL destinations` and rotate those secrets.
    func sealPlaintextSecrets() async throws(CatalogError) {
        let rows = try await run("SELECT id, secret_access_key FROM destinations WHERE access_kind = 'keys'")
        var plaintext: [String] = []
        var sealed = 0
        for row in rows {
            let id = try Self.string(row, "id")
            guard let stored = try Self.optionalString(row, "secret_access_key"), !SecretSealer.isSealed(stored)
            else { continue }
            guard secrets.key != nil else {
                plaintext.append(id)
                continue
            }
            let value = try secrets.seal(stored, context: id)
            try await run(
                "UPDATE destinations SET secret_access_key = \(value) WHERE id = \(id) AND secret_access_key = \(stored)"
            )
            sealed += 1
        }
        if sealed > 0 {
            logger.notice("sealed destination secrets stored in plain text", metadata: ["destinations": "\(sealed)"])
        }
        if !plaintext.isEmpty {
            logger.warning(
                "destination secrets are stored in plain text; set SLUICE_SECRET_KEY on every node to seal them",
                metadata: ["destinations": "\(plaintext.joined(separator: ","))"])
        }
    }
}
