import ArchiveFormat
import Catalog

/// A closed batch in the staging store: `segment-logs/{source}/{received-day}/{file}.gz`.
public struct StagedObject: Sendable, Hashable {
    public let key: String
    public let size: Int64
    /// The key parsed by `ObjectKey.parse`; nil when the key is not a batch file's (staged keys have no prefix).
    public let objectKey: ObjectKey?

    public init(key: String, size: Int64) {
        self.key = key
        self.size = size
        let parsed = ObjectKey.parse(key)
        objectKey = parsed?.prefix.isEmpty == true ? parsed : nil
    }

    /// The source id in the key, or nil when the key is not a batch file's.
    public var sourceID: String? { objectKey?.sourceID.rawValue }

    /// The ledger row for this object: nil when the key is not a batch file's.
    public func stagedFile(checksum: String?, stagedAtMilliseconds: Int64) -> StagedFile? {
        guard let objectKey else { return nil }
        return StagedFile(
            key: key, sourceID: objectKey.sourceID.rawValue, receivedDayMilliseconds: objectKey.day.epochMilliseconds,
            size: size, checksum: checksum, writer: objectKey.fileName.nodeID,
            stagedAtMilliseconds: stagedAtMilliseconds)
    }
}

/// One staged file to copy to one destination.
public struct WorkItem: Sendable, Hashable {
    public let stagedKey: String
    public let destinationKey: String
    public let size: Int64

    public init(stagedKey: String, destinationKey: String, size: Int64) {
        self.stagedKey = stagedKey
        self.destinationKey = destinationKey
        self.size = size
    }
}
