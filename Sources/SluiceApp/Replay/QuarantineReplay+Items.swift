import Catalog
import Foundation

extension QuarantineReplay {
    /// The quarantine's rows as they are: for events refused by a rule since fixed.
    public static func items(_ entries: [QuarantineEntry]) -> [Item] {
        entries.map { Item(rowID: $0.id, raw: $0.event.raw, label: "row \($0.id)") }
    }

    /// Corrected events: NDJSON as `sluice quarantine list --json` prints it (one object a line with `raw`, the
    /// event's JSON text, and `id`, the row it replaces), or bare event objects (replayed, no row removed). Every
    /// line is checked first; a line that cannot be read stops the replay with its number.
    public static func items(ndjson text: String) throws -> [Item] {
        var items: [Item] = []
        var problems: [String] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                problems.append("line \(n + 1): not a JSON object")
                continue
            }
            guard let raw = object["raw"] else {
                // A bare event object: it parsed above, so it is valid JSON.
                items.append(Item(rowID: nil, raw: Array(trimmed.utf8), label: "line \(n + 1)"))
                continue
            }
            // `raw` is the event's JSON text; an edited file may hold the event object itself.
            let bytes: [UInt8]
            if let text = raw as? String {
                bytes = Array(text.utf8)
            } else if let data = try? JSONSerialization.data(withJSONObject: raw) {
                bytes = Array(data)
            } else {
                problems.append("line \(n + 1): \"raw\" is neither the event's JSON text nor an object")
                continue
            }
            guard (try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) != nil else {
                problems.append("line \(n + 1): \"raw\" is not valid JSON")
                continue
            }
            var rowID: Int64?
            if let id = object["id"] {
                guard let parsed = (id as? String).flatMap({ Int64($0) }) ?? (id as? NSNumber)?.int64Value else {
                    problems.append("line \(n + 1): \"id\" is not a quarantine row id")
                    continue
                }
                rowID = parsed
            }
            items.append(Item(rowID: rowID, raw: bytes, label: rowID.map { "row \($0)" } ?? "line \(n + 1)"))
        }
        guard problems.isEmpty else {
            throw ConfigurationError(
                message: problems.joined(separator: "\n") + "\n\(problems.count) line(s) cannot be read; nothing was "
                    + "replayed")
        }
        return items
    }
}
