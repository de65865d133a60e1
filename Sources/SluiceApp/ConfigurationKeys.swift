/// Any key of a JSON object, so a section can list the keys it was given (synthesized `CodingKeys` drop the ones
/// they do not know).
struct AnyConfigurationKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws when the object being decoded has a key that is not one of `Keys` (the keys its decoder reads): a typo
    /// in a config file ("fsnyc") must not silently leave the default in place.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_: Keys.Type, section: String) throws {
        let known = Set(Keys.allCases.map(\.stringValue))
        let given = try container(keyedBy: AnyConfigurationKey.self).allKeys.map(\.stringValue)
        guard let unknown = given.sorted().first(where: { !known.contains($0) }) else { return }
        let place = section.isEmpty ? "at the top level" : "in \"\(section)\""
        throw ConfigurationError(
            message: "unknown setting \"\(unknown)\" \(place); known: \(known.sorted().joined(separator: ", "))")
    }
}
