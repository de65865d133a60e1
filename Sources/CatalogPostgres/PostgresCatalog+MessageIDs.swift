import Catalog
import PostgresNIO

extension PostgresCatalog {
    /// Records messageIds whose events this node made durable, in one statement; returns those already recorded
    /// (another node accepted them first: the caller leaves their events out of its batches). A row received before
    /// `forgetBefore` (out of the window, not yet deleted) counts as absent and is taken over.
    public func recordMessageIDs(
        _ ids: [String], receivedAtMilliseconds: Int64, forgetBefore: Int64
    ) async throws(CatalogError) -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let inserted = try await run(
            """
            INSERT INTO message_ids (message_id, received_at)
            SELECT id, \(receivedAtMilliseconds) FROM unnest(\(ids)::text[]) AS t(id)
            ON CONFLICT (message_id) DO UPDATE SET received_at = EXCLUDED.received_at
            WHERE message_ids.received_at < \(forgetBefore)
            RETURNING message_id
            """)
        var new = Set<String>()
        for row in inserted { new.insert(try Self.string(row, "message_id")) }
        return Set(ids).subtracting(new)
    }

    /// Deletes at most `limit` ids received before `time` (small batches keep each transaction short, so
    /// autovacuum reclaims the rows without long locks); returns how many went.
    @discardableResult
    public func deleteMessageIDs(receivedBefore time: Int64, limit: Int) async throws(CatalogError) -> Int {
        try await run(
            """
            DELETE FROM message_ids WHERE message_id IN (
                SELECT message_id FROM message_ids WHERE received_at < \(time) LIMIT \(limit))
            RETURNING 1
            """
        ).count
    }
}
