import Catalog

extension DestinationRegistry {
    /// The validation write `add` would make for these settings, without storing anything.
    public func check(sourceID: String, settings: DestinationSettings) async throws(DeliveryError)
        -> DestinationValidator.Report
    {
        guard settings.bucket != nil else { throw DeliveryError(.invalidSettings, "a destination needs a bucket") }
        let blank = Destination(
            id: Identifiers.newDestinationID(), sourceID: sourceID, bucket: "", createdAtMilliseconds: now())
        return try await validator.validate(try DestinationTarget(try settings.applied(to: blank)))
    }
}
