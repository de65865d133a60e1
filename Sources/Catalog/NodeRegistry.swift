/// One running `sluice serve` in the catalog's node registry.
public struct NodeRecord: Sendable, Hashable, Codable {
    /// The readable name (`--node-id`, default the host name), unique among live nodes.
    public let id: String
    /// Which installation holds the name: the 12-hex writer id of the node's data directory, so the same node
    /// restarting after a crash takes its name back at once, while another machine using the name is refused.
    public let instance: String
    /// Where the node listens, for operators (`host:port`).
    public var address: String
    public var version: String
    public var startedAtMilliseconds: Int64
    public var heartbeatAtMilliseconds: Int64
    public var openBatches: Int
    public var spoolBacklogBytes: Int64
    /// Copy leases the node holds: `nodes()` counts them live from the copy work (unexpired leases owned by the
    /// node id); the value a heartbeat carries is not used.
    public var copyLeases: Int

    public init(
        id: String, instance: String, address: String, version: String, startedAtMilliseconds: Int64,
        heartbeatAtMilliseconds: Int64, openBatches: Int = 0, spoolBacklogBytes: Int64 = 0, copyLeases: Int = 0
    ) {
        self.id = id
        self.instance = instance
        self.address = address
        self.version = version
        self.startedAtMilliseconds = startedAtMilliseconds
        self.heartbeatAtMilliseconds = heartbeatAtMilliseconds
        self.openBatches = openBatches
        self.spoolBacklogBytes = spoolBacklogBytes
        self.copyLeases = copyLeases
    }
}

/// The registry of running nodes: each registers at start, sends heartbeats, and leaves on a clean stop.
public protocol NodeRegistry: Sendable {
    /// Registers a starting node in one statement. `.duplicate` when another instance holds the id and sent a
    /// heartbeat at or after `liveSinceMilliseconds`; a stale entry, or one of the same instance, is taken over.
    func registerNode(_ node: NodeRecord, liveSinceMilliseconds: Int64) async throws(CatalogError)
    /// Updates the heartbeat and the figures of the node (`id` and `instance`); false when the entry is gone or
    /// was taken over by another instance.
    func heartbeat(_ node: NodeRecord) async throws(CatalogError) -> Bool
    /// Every registered node, by id.
    func nodes() async throws(CatalogError) -> [NodeRecord]
    /// Removes the node's entry (a clean stop).
    func deregisterNode(id: String, instance: String) async throws(CatalogError)
}

extension Identifiers {
    /// Node ids: 1-64 of `A-Z a-z 0-9 - _ .`, not starting with `.` (host names pass).
    public static func validateNodeID(_ id: String) throws(CatalogError) {
        do {
            try validateName(id)
        } catch {
            throw CatalogError(
                .invalidConfiguration,
                "node id '\(id.prefix(80))' is not valid: use 1-64 letters, digits, '-', '_' or '.'")
        }
    }
}
