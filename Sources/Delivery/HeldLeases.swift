import Catalog
import Synchronization

/// The leases one claim batch still holds: copies take theirs out when recorded or given back, and the renewal
/// takes out those another node has taken over. One lock, never held across an await.
final class HeldLeases: Sendable {
    private let leases: Mutex<[String: CopyLease]>

    init(_ claimed: [CopyLease]) {
        var byID: [String: CopyLease] = [:]
        for lease in claimed { byID[Self.id(lease)] = lease }
        leases = Mutex(byID)
    }

    static func id(_ lease: CopyLease) -> String { lease.destinationID + "\u{0}" + lease.stagedKey }

    var all: [CopyLease] { leases.withLock { Array($0.values) } }

    func contains(_ lease: CopyLease) -> Bool { leases.withLock { $0[Self.id(lease)]?.epoch == lease.epoch } }

    func remove(_ gone: some Sequence<CopyLease>) {
        leases.withLock { held in for lease in gone { held.removeValue(forKey: Self.id(lease)) } }
    }

    /// After a renewal of `asked`: drops those not renewed (lost); returns how many that was.
    func keep(renewed: [CopyLease], of asked: [CopyLease]) -> Int {
        let kept = Set(renewed.map(Self.id))
        let lost = asked.filter { !kept.contains(Self.id($0)) }
        remove(lost)
        return lost.count
    }
}
