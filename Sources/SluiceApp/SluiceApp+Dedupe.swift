import Catalog
import CatalogPostgres
import Dedupe
import Logging
import NIOPosix
import Spool

extension SluiceApp {
    /// Opens the messageId index (`{data-dir}/dedupe`) when de-duplication is on, and re-inserts the ids of the
    /// records the spool retains (those acknowledged after the index's last sync), before any request is served.
    static func openDeduplicator(
        _ configuration: SluiceConfiguration, data: DataDirectory, spool: Spool, now: @escaping @Sendable () -> Int64,
        logger: Logger
    ) async throws -> Deduplicator? {
        guard let window = try configuration.deduplicationWindow() else {
            logger.info("messageId de-duplication is off")
            return nil
        }
        let directory = data.path + "/dedupe"
        return try await NIOThreadPool.singleton.runIfActive {
            let deduplicator = try Deduplicator.open(
                directory: directory, window: window, now: now(), logger: logger)
            let report = try deduplicator.recover(from: spool, now: now())
            let (ids, memory) = deduplicator.statistics
            logger.info(
                "messageId index opened",
                metadata: [
                    "dedupe.window_ms": "\(window.milliseconds)", "dedupe.ids": "\(ids)",
                    "dedupe.memory_bytes": "\(memory)", "dedupe.recovered_ids": "\(report.inserted)",
                ])
            return deduplicator
        }
    }

    /// With a PostgreSQL catalog, the cluster-wide check over its `message_ids` table; nil otherwise or when off.
    static func clusterDeduplicator(
        _ configuration: SluiceConfiguration, catalog: any CatalogStore, now: @escaping @Sendable () -> Int64,
        logger: Logger
    ) throws -> ClusterDeduplicator? {
        guard let window = try configuration.deduplicationWindow(), let postgres = catalog as? PostgresCatalog else {
            return nil
        }
        return ClusterDeduplicator(
            window: window, now: now, logger: logger,
            record: { ids, received in
                try await postgres.recordMessageIDs(
                    ids, receivedAtMilliseconds: received, forgetBefore: received - window.milliseconds)
            },
            purge: { before, limit in try await postgres.deleteMessageIDs(receivedBefore: before, limit: limit) })
    }

    /// Makes the index durable at shutdown (recovery would rebuild what is missing, from the spool).
    static func closeDeduplicator(_ deduplicator: Deduplicator?, logger: Logger) {
        do {
            try deduplicator?.sync()
        } catch {
            logger.warning("messageId index not synced at shutdown", metadata: ["dedupe.error": "\(error)"])
        }
    }
}
