import Catalog

/// A destination together with its parsed bucket address: what a connector needs to reach it.
public struct DestinationTarget: Sendable, Hashable {
    public let destination: Destination
    public let address: BucketAddress

    public init(destination: Destination, address: BucketAddress) {
        self.destination = destination
        self.address = address
    }

    /// Parses the destination's bucket string.
    public init(_ destination: Destination) throws(DeliveryError) {
        self.init(destination: destination, address: try BucketAddress.parse(destination.bucket))
    }

    /// `s3://bucket/key` for messages.
    public func url(_ key: String) -> String { "s3://\(address.bucket)/\(key)" }
}
