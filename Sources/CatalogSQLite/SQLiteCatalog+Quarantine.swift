import Catalog
import NIOCore
import SQLiteNIO

extension SQLiteCatalog {
    public func quarantine(_ events: [QuarantinedEvent]) async throws(CatalogError) {
        guard !events.isEmpty else { return }
        // One multi-row INSERT is one atomic, durable commit.
        var sql = "INSERT INTO quarantine (source_id, received_at, batch_index, code, message, raw) VALUES "
        var binds: [SQLiteData] = []
        binds.reserveCapacity(events.count * 6)
        for (n, event) in events.enumerated() {
            sql += n == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)"
            binds += [
                .text(event.sourceID), .integer(Int(event.receivedAtMilliseconds)), .integer(event.index),
                .text(event.code), .text(event.message), .blob(ByteBuffer(bytes: event.raw)),
            ]
        }
        try await run(sql, binds)
    }

    public func quarantined(sourceID: String, limit: Int) async throws(CatalogError) -> [QuarantinedEvent] {
        try await run(
            "SELECT source_id, received_at, batch_index, code, message, raw FROM quarantine WHERE source_id = ? ORDER BY id DESC LIMIT ?",
            [.text(sourceID), .integer(limit)]
        ).compactMap { row in
            guard let source = row.column("source_id")?.string, let received = row.column("received_at")?.integer,
                let index = row.column("batch_index")?.integer, let code = row.column("code")?.string,
                let message = row.column("message")?.string
            else { return nil }
            var raw: [UInt8] = []
            if case .blob(let buffer)? = row.column("raw") { raw = Array(buffer.readableBytesView) }
            return QuarantinedEvent(
                sourceID: source, receivedAtMilliseconds: Int64(received), index: index, code: code, message: message,
                raw: raw)
        }
    }
}
