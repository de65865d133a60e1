import Catalog
import Storage

/// Adds, changes, enables, disables and removes destinations, making the validation write before any setting
/// that changes where or how Sluice writes takes effect. So a destination whose new credentials, role or
/// encryption would be refused keeps working with its old settings (no gap when migrating between kinds).
///
/// ```swift
/// let registry = DestinationRegistry(catalog: catalog, validator: validator, now: now)
/// let added = try await registry.add(sourceID: source.id, settings: .init(bucket: "mybucket/path"))
/// ```
public struct DestinationRegistry: Sendable {
    let catalog: any DeliveryCatalog
    let validator: DestinationValidator
    let now: @Sendable () -> Int64

    public init(
        catalog: any DeliveryCatalog, validator: DestinationValidator,
        now: @escaping @Sendable () -> Int64
    ) {
        self.catalog = catalog
        self.validator = validator
        self.now = now
    }

    /// A new destination for a source (enabled), after a successful validation write unless `validate` is false.
    public func add(sourceID: String, settings: DestinationSettings, validate: Bool = true) async throws(DeliveryError)
        -> Destination
    {
        guard settings.bucket != nil else { throw DeliveryError(.invalidSettings, "a destination needs a bucket") }
        let blank = Destination(
            id: Identifiers.newDestinationID(), sourceID: sourceID, bucket: "", createdAtMilliseconds: now())
        let destination = try settings.applied(to: blank)
        if validate { _ = try await validator.validate(try DestinationTarget(destination)) }
        try await catalogCall { () throws(CatalogError) in try await catalog.createDestination(destination) }
        return destination
    }

    /// Changes settings; the validation write runs with the new settings (when enabled) before they are stored.
    public func update(id: String, settings: DestinationSettings, validate: Bool = true) async throws(DeliveryError)
        -> Destination
    {
        var destination = try settings.applied(to: try await existing(id))
        destination.updatedAtMilliseconds = now()
        if validate && destination.enabled { _ = try await validator.validate(try DestinationTarget(destination)) }
        let updated = destination
        try await catalogCall { () throws(CatalogError) in try await catalog.updateDestination(updated) }
        return destination
    }

    /// Enables (after a validation write) or disables a destination. A re-enabled destination receives every
    /// staged file it has not received, within retention.
    public func setEnabled(id: String, _ enabled: Bool, validate: Bool = true) async throws(DeliveryError)
        -> Destination
    {
        var destination = try await existing(id)
        if enabled && validate { _ = try await validator.validate(try DestinationTarget(destination)) }
        destination.enabled = enabled
        destination.updatedAtMilliseconds = now()
        let updated = destination
        try await catalogCall { () throws(CatalogError) in try await catalog.updateDestination(updated) }
        return destination
    }

    public func remove(id: String) async throws(DeliveryError) {
        _ = try await existing(id)
        try await catalogCall { () throws(CatalogError) in try await catalog.removeDestination(id: id) }
    }

    /// Every destination with its status.
    public func statuses() async throws(DeliveryError) -> [DestinationStatus] {
        let destinations = try await catalogCall { () throws(CatalogError) in try await catalog.destinations() }
        // What is owed comes from the staged-file ledger, never from a listing of the staging store.
        let staged = try await catalogCall { () throws(CatalogError) in try await catalog.stagedFiles(sourceID: nil) }
        var result: [DestinationStatus] = []
        for destination in destinations {
            let delivered = try await catalogCall { () throws(CatalogError) in
                try await catalog.deliveredKeys(destinationID: destination.id)
            }
            let state = try await catalogCall { () throws(CatalogError) in
                try await catalog.destinationState(id: destination.id)
            }
            let owed = staged.filter { $0.sourceID == destination.sourceID && !delivered.contains($0.key) }
            result.append(
                DestinationStatus(
                    destination: destination, state: state ?? DestinationState(destinationID: destination.id),
                    pendingFiles: owed.count, pendingBytes: owed.reduce(0) { $0 + $1.size },
                    deliveredFiles: delivered.count))
        }
        return result
    }

    func existing(_ id: String) async throws(DeliveryError) -> Destination {
        guard
            let destination = try await catalogCall({ () throws(CatalogError) in try await catalog.destination(id: id) }
            )
        else {
            throw DeliveryError(
                .notFound, "no destination with id '\(id.prefix(64))'; see `sluice destinations list`")
        }
        return destination
    }
}
