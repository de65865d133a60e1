/// The validation write made when a destination is added or enabled, as Segment's own check does: a small object
/// under the destination's `segment-logs/` path, uploaded exactly as the copy job will upload (same credentials,
/// same encryption header), then deleted when the principal may delete.
///
/// ```swift
/// let report = try await DestinationValidator(connector: connector).validate(try DestinationTarget(destination))
/// ```
public struct DestinationValidator: Sendable {
    let connector: any DestinationConnector

    public init(connector: any DestinationConnector) {
        self.connector = connector
    }

    /// What the check did.
    public struct Report: Sendable, Hashable {
        /// `s3://bucket/{prefix}/segment-logs/sluice-validation-{id}.txt`
        public let url: String
        /// False when the principal may only PutObject (as Segment's policy grants): the object stays.
        public let deleted: Bool
    }

    /// The validation object's key for a destination.
    public static func key(for target: DestinationTarget) -> String {
        target.address.destinationKey(forStaged: "segment-logs/sluice-validation-\(target.destination.id).txt")
    }

    /// Writes (and tries to delete) the validation object; throws with the policy fix when the bucket refuses.
    public func validate(_ target: DestinationTarget) async throws(DeliveryError) -> Report {
        let key = Self.key(for: target)
        do {
            let bucket = try await connector.bucket(for: target)
            let text =
                "Sluice checks that it may write to this bucket for source \(target.destination.sourceID). Safe to delete.\n"
            try await bucket.put(bytes: Array(text.utf8), key: key)
            var deleted = true
            do { try await bucket.delete(key: key) } catch { deleted = false }
            return Report(url: target.url(key), deleted: deleted)
        } catch {
            let explained = DeliveryAdvice.explain(error, target: target, key: key)
            throw DeliveryError(
                explained.code, "the validation write failed: " + explained.message, underlying: explained.underlying)
        }
    }
}
