import Catalog
import SQLiteNIO

extension SQLiteCatalog {
    /// Seals the static-key secrets an older Sluice stored in plain text (each row updated only if it still holds
    /// the value read, so a concurrent update wins).
    func sealPlaintextSecrets() async throws(CatalogError) {
        let rows = try await run("SELECT id, secret_access_key FROM destinations WHERE access_kind = 'keys'")
        var sealed = 0
        for row in rows {
            guard let id = row.column("id")?.string, let stored = row.column("secret_access_key")?.string,
                !SecretSealer.isSealed(stored)
            else { continue }
            let value = try secrets.seal(stored, context: id)
            try await run(
                "UPDATE destinations SET secret_access_key = ? WHERE id = ? AND secret_access_key = ?",
                [.text(value), .text(id), .text(stored)])
            sealed += 1
        }
        if sealed > 0 {
            // Overwrite the plaintext's old cells and drop the WAL frames that held it.
            try await run("PRAGMA secure_delete = ON")
            try await run("VACUUM")
            try await run("PRAGMA wal_checkpoint(TRUNCATE)")
            logger.notice("sealed destination secrets stored in plain text", metadata: ["destinations": "\(sealed)"])
        }
    }
}
