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
}

/// One staged file to copy to one destination.
public struct WorkItem: Sendable, Hashable {
    public let stagedKey: String
    public let destinationKey: String
    public let size: Int64
}

/// What one run owes one destination.
public struct DestinationPlan: Sendable {
    public let target: DestinationTarget
    /// In staged-key order (so oldest days first).
    public let items: [WorkItem]

    public var pendingBytes: Int64 { items.reduce(0) { $0 + $1.size } }
}

/// Staged objects × destinations × ledger → the work of a run. Pure.
///
/// Every enabled destination is owed every staged file of its source that its ledger lacks, so a destination
/// added or re-enabled later receives the whole backlog still within retention.
public enum DeliveryPlanner {
    /// Plans for every enabled destination. A destination whose bucket string no longer parses gets no plan and
    /// is reported in `invalid`.
    public static func plan(
        staged: [StagedObject], destinations: [Destination], delivered: [String: Set<String>]
    ) -> (plans: [DestinationPlan], invalid: [(Destination, DeliveryError)]) {
        var bySource: [String: [StagedObject]] = [:]
        for object in staged {
            guard let source = object.sourceID else { continue }
            bySource[source, default: []].append(object)
        }
        var plans: [DestinationPlan] = []
        var invalid: [(Destination, DeliveryError)] = []
        for destination in destinations where destination.enabled {
            let target: DestinationTarget
            do {
                target = try DestinationTarget(destination)
            } catch {
                invalid.append((destination, error))
                continue
            }
            let done = delivered[destination.id] ?? []
            let items = (bySource[destination.sourceID] ?? [])
                .filter { !done.contains($0.key) }
                .sorted { $0.key < $1.key }
                .map {
                    WorkItem(
                        stagedKey: $0.key, destinationKey: target.address.destinationKey(forStaged: $0.key),
                        size: $0.size)
                }
            plans.append(DestinationPlan(target: target, items: items))
        }
        return (plans, invalid)
    }
}
