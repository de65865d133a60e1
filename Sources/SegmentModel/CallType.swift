/// The six Segment Tracking API call types.
public enum CallType: String, Hashable, Sendable, CaseIterable {
    case track, identify, page, screen, group, alias

    /// Parses the value of a `type` member (exact, case-sensitive, as Segment's API is).
    public init?(bytes: some Collection<UInt8>) {
        guard let type = CallType.allCases.first(where: { $0.rawValue.utf8.elementsEqual(bytes) }) else {
            return nil
        }
        self = type
    }
}
