import ArchiveFormat

/// Names batch files as Segment does: `{epoch-ms}.{12-hex node id}.{7-hex build id}.{uuid}.gz`, under
/// `segment-logs/{source}/{received-day}/`.
public struct BatchNaming: Sendable {
    public let nodeID: String
    public let buildID: String

    public init(nodeID: String, buildID: String) {
        self.nodeID = nodeID
        self.buildID = buildID
    }

    /// The staging object key of a batch closed at `closedAtMilliseconds`.
    public func objectKey(for handle: BatchHandle, closedAtMilliseconds: Int64) throws -> String {
        let name = try BatchFileName(
            createdAtMilliseconds: closedAtMilliseconds, nodeID: nodeID, buildID: buildID, uuid: handle.uuid)
        let key = try ObjectKey(
            prefix: "", sourceID: try SourceID(handle.key.sourceID), day: ReceivedDay(containing: handle.key.day),
            fileName: name)
        return key.description
    }
}
