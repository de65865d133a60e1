import Foundation

/// The INI dialect of `~/.aws/credentials` and `~/.aws/config`: `[section]` headers, `key = value` lines,
/// `#`/`;` comments. In the config file, profiles are `[profile name]` except `[default]`.
public struct AWSConfigFile: Sendable, Hashable {
    public var sections: [String: [String: String]]

    public init(parsing text: String, isConfigFile: Bool) {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                var name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if isConfigFile, name.hasPrefix("profile ") {
                    name = String(name.dropFirst("profile ".count)).trimmingCharacters(in: .whitespaces)
                }
                current = name
                sections[name, default: [:]] = sections[name, default: [:]]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current, default: [:]][key] = value
        }
        self.sections = sections
    }
}
