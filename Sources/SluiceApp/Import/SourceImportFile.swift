import Catalog
import Foundation

/// One source read from an import file, before any check; `location` names where it came from ("line 3",
/// "entry 2", "sources[4]") so every problem can point at it.
public struct SourceImportRow: Sendable, Hashable {
    public let location: String
    public let name: String
    public let id: String
    public let writeKeys: [String]

    public init(location: String, name: String, id: String, writeKeys: [String]) {
        self.location = location
        self.name = name
        self.id = id
        self.writeKeys = writeKeys
    }
}

/// What `sluice sources import` reads: a CSV `name,id,write_keys` with a header row (keys separated by `;` or `|`),
/// a JSON array `[{"name","id","writeKeys":[...]}]`, or the JSON Segment's Public API answers for listing sources
/// (`{"data":{"sources":[{"id","name","slug","writeKeys":[...]}]}}`). Pure: bytes in, rows and problems out.
///
/// ```swift
/// let file = SourceImportFile.parse(Array("name,id,write_keys\nweb,qwertyuiop,KEY1;KEY2\n".utf8))
/// ```
public struct SourceImportFile: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable { case csv, json, segment }

    public var format: Format
    public var rows: [SourceImportRow] = []
    /// Rows that cannot be read, each with its location ("line 4: ...").
    public var problems: [String] = []
    /// Entries deliberately left out, with why (a Segment cloud source has no write keys).
    public var ignored: [String] = []

    /// Reads any of the three formats, chosen by the first non-blank character (`[` JSON, `{` Segment, else CSV).
    public static func parse(_ bytes: [UInt8]) -> SourceImportFile {
        let text = String(
            decoding: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self)
        switch text.first(where: { !$0.isWhitespace }) {
        case "[": return parseJSON(Data(text.utf8))
        case "{": return parseSegment(Data(text.utf8))
        case nil:
            return SourceImportFile(format: .csv, problems: ["the file is empty"])
        default: return parseCSV(text)
        }
    }

    static func parseJSON(_ data: Data) -> SourceImportFile {
        var file = SourceImportFile(format: .json)
        guard let array = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else {
            file.problems.append("not valid JSON: expected an array of {\"name\", \"id\", \"writeKeys\"}")
            return file
        }
        for (n, element) in array.enumerated() {
            let location = "entry \(n + 1)"
            guard let object = element as? [String: Any] else {
                file.problems.append("\(location): not an object")
                continue
            }
            let name = object["name"] as? String ?? ""
            let id = object["id"] as? String ?? ""
            guard let keys = object["writeKeys"] as? [Any], keys.allSatisfy({ $0 is String }) else {
                file.problems.append("\(location): \"writeKeys\" must be an array of strings")
                continue
            }
            file.rows.append(
                SourceImportRow(location: location, name: name, id: id, writeKeys: keys.compactMap { $0 as? String }))
        }
        return file
    }

    static func parseSegment(_ data: Data) -> SourceImportFile {
        var file = SourceImportFile(format: .segment)
        let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let list = (root?["data"] as? [String: Any])?["sources"] ?? root?["sources"]
        guard let sources = list as? [Any] else {
            file.problems.append(
                "not a Segment sources export: expected {\"data\":{\"sources\":[...]}} (the Public API's list sources)")
            return file
        }
        for (n, element) in sources.enumerated() {
            let location = "sources[\(n)]"
            guard let object = element as? [String: Any] else {
                file.problems.append("\(location): not an object")
                continue
            }
            let id = object["id"] as? String ?? ""
            let keys = (object["writeKeys"] as? [Any])?.compactMap { $0 as? String } ?? []
            guard !keys.isEmpty else {
                file.ignored.append("\(location) (\(id.prefix(40))): no write keys, not an event stream source")
                continue
            }
            // Segment's display names may hold spaces; its slug is always a valid Sluice name.
            let candidates = [object["slug"] as? String, object["name"] as? String].compactMap { $0 }
            let name =
                candidates.first { (try? Identifiers.validateName($0)) != nil } ?? candidates.first ?? ""
            file.rows.append(SourceImportRow(location: location, name: name, id: id, writeKeys: keys))
        }
        return file
    }

    static func parseCSV(_ text: String) -> SourceImportFile {
        var file = SourceImportFile(format: .csv)
        let lines = CSVLines.split(text)
        guard let header = lines.first else {
            file.problems.append("the file is empty")
            return file
        }
        let columns = header.fields.map {
            $0.lowercased().trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "_")
        }
        let nameColumn = columns.firstIndex(of: "name")
        let idColumn = columns.firstIndex(of: "id")
        let keysColumn = columns.firstIndex { ["write_keys", "writekeys", "write_key", "writekey"].contains($0) }
        guard let nameColumn, let idColumn, let keysColumn else {
            file.problems.append("line \(header.number): the header must name the columns name,id,write_keys")
            return file
        }
        for line in lines.dropFirst() {
            if let problem = line.problem {
                file.problems.append("line \(line.number): \(problem)")
                continue
            }
            if line.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard line.fields.count == columns.count else {
                file.problems.append(
                    "line \(line.number): \(line.fields.count) field(s), the header has \(columns.count)")
                continue
            }
            let trimmed = line.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            let keys = trimmed[keysColumn].split(whereSeparator: { $0 == ";" || $0 == "|" })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            file.rows.append(
                SourceImportRow(
                    location: "line \(line.number)", name: trimmed[nameColumn], id: trimmed[idColumn],
                    writeKeys: keys))
        }
        return file
    }
}
