import Catalog

/// Which staged files may be deleted: older than the retention, and received by every enabled destination of
/// their source. Pure. Nothing is ever deleted that some enabled destination has not received.
public struct Retention: Sendable, Hashable {
    /// How long staged files are kept, in milliseconds; nil keeps them forever (the embedded default, where the
    /// staging directory is also the local archive).
    public let keepMilliseconds: Int64?

    public init(keepMilliseconds: Int64?) {
        self.keepMilliseconds = keepMilliseconds
    }

    /// `keep` in whole days.
    public static func days(_ days: Int?) -> Retention {
        Retention(keepMilliseconds: days.map { Int64($0) * 86_400_000 })
    }

    /// The staged keys to delete now.
    public func expired(
        staged: [StagedObject], destinations: [Destination], delivered: [String: Set<String>], now: Int64
    ) -> [String] {
        guard let keep = keepMilliseconds else { return [] }
        return staged.compactMap { object in
            guard let name = object.objectKey?.fileName, name.createdAtMilliseconds + keep <= now,
                let source = object.sourceID
            else {
                return nil
            }
            let owed = destinations.filter { $0.enabled && $0.sourceID == source }
            return owed.allSatisfy({ delivered[$0.id]?.contains(object.key) == true }) ? object.key : nil
        }
    }
}
