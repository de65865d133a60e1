import Delivery
import Hummingbird
import NIOCore

/// `GET /console/api/destinations`, `POST /console/api/destinations/{id}/enable|disable`, `POST /console/api/copy`:
/// the destinations page, through the same registry and copy runner as the admin API (statuses never hold a
/// secret: `DestinationStatus.summary` leaves them out).
extension ConsoleAPI {
    func registerDestinations(on group: RouterGroup<SluiceRequestContext>) {
        guard let destinations else { return }
        let (registry, runner) = (destinations.registry, destinations.runner)
        let admin = DestinationsAPI(token: adminToken, registry: registry, runner: runner, catalog: catalog)
        group.get("api/destinations") { _, _ in
            try await DestinationsAPI.answer { () throws(DeliveryError) in
                DestinationStatus.json(try await registry.statuses())
            }
        }
        for (action, enabled) in [("enable", true), ("disable", false)] {
            group.post("api/destinations/:id/\(action)") { _, context in
                let id = context.parameters.get("id") ?? ""
                return try await DestinationsAPI.answer { () throws(DeliveryError) in
                    try await admin.status(registry.setEnabled(id: id, enabled).id)
                }
            }
        }
        group.get("api/copy/next") { _, _ in
            struct Next: Encodable { let nextCopyAt: Int64; let schedule: String }
            let time = now()
            return try Self.json(
                Next(nextCopyAt: await destinations.nextScheduledCopy(now: time), schedule: "\(destinations.schedule)"))
        }
        registerDestinationChanges(on: group, delivery: destinations)
        group.post("api/copy") { _, _ in
            try await DestinationsAPI.answer { () throws(DeliveryError) in
                try await DestinationsAPI.copyReport(runner.run())
            }
        }
    }
}
