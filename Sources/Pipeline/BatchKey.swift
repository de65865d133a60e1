/// One open batch exists per source and UTC received day.
public struct BatchKey: Hashable, Sendable, CustomStringConvertible {
    public let sourceID: String
    /// UTC midnight of the events' receivedAt, epoch milliseconds.
    public let day: Int64

    public init(sourceID: String, day: Int64) {
        self.sourceID = sourceID
        self.day = day
    }

    public var description: String { "\(sourceID)/\(day)" }
}
