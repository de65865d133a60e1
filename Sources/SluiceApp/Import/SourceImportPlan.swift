import Catalog

/// What an import will do with each row, decided before anything is written: every row is checked (name, id and
/// key shapes; duplicates inside the file; ids, names and keys already in the catalog) and every problem is kept
/// with its row's location. Pure: the catalog's present state comes in as values.
public struct SourceImportPlan: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable, Codable {
        case create
        /// `--skip-existing`: the source is already there with the same id and keys.
        case skip
    }

    public struct Entry: Sendable, Hashable {
        public let row: SourceImportRow
        public let action: Action
    }

    public var entries: [Entry] = []
    public var problems: [String] = []

    /// A source already in the catalog with every key it ever had (revoked ones too: a key is never reused).
    public struct Existing: Sendable, Hashable {
        public let source: Source
        public let keys: [WriteKey]
        public init(source: Source, keys: [WriteKey]) {
            self.source = source
            self.keys = keys
        }
    }

    public init(rows: [SourceImportRow], existing: [Existing], skipExisting: Bool) {
        let byID = Dictionary(existing.map { ($0.source.id, $0) }, uniquingKeysWith: { a, _ in a })
        let byName = Dictionary(existing.map { ($0.source.name, $0) }, uniquingKeysWith: { a, _ in a })
        var keyOwner: [String: String] = [:]
        for item in existing { for key in item.keys { keyOwner[key.key] = item.source.id } }
        var seenIDs: [String: String] = [:]
        var seenNames: [String: String] = [:]
        var seenKeys: [String: String] = [:]

        for row in rows {
            var rowProblems: [String] = []
            do throws(CatalogError) { try Identifiers.validateName(row.name) } catch {
                rowProblems.append(row.name.isEmpty ? "no name" : error.message)
            }
            do throws(CatalogError) { try Identifiers.validateSegmentSourceID(row.id) } catch {
                rowProblems.append(row.id.isEmpty ? "no id" : error.message)
            }
            if row.writeKeys.isEmpty { rowProblems.append("no write key") }
            for (n, key) in row.writeKeys.enumerated() {
                do throws(CatalogError) { try Identifiers.validateWriteKey(key) } catch {
                    rowProblems.append("write key \(n + 1): \(error.message)")
                }
            }
            if let first = seenIDs[row.id] { rowProblems.append("id '\(row.id)' is also on \(first)") }
            if let first = seenNames[row.name] { rowProblems.append("name '\(row.name)' is also on \(first)") }
            for (n, key) in row.writeKeys.enumerated() {
                if let first = seenKeys[key] { rowProblems.append("write key \(n + 1) is also on \(first)") }
            }
            seenIDs[row.id] = seenIDs[row.id] ?? row.location
            seenNames[row.name] = seenNames[row.name] ?? row.location
            for key in row.writeKeys { seenKeys[key] = seenKeys[key] ?? row.location }

            var action = Action.create
            if let present = byID[row.id] {
                let theirs = Set(present.keys.filter(\.isActive).map(\.key))
                if skipExisting && Set(row.writeKeys) == theirs {
                    action = .skip
                } else if skipExisting {
                    rowProblems.append(
                        "source id '\(row.id)' exists (named '\(present.source.name)') with other write keys; "
                            + "fix it with `sluice sources keys` or leave the row out")
                } else {
                    rowProblems.append(
                        "a source with id '\(row.id)' already exists (named '\(present.source.name)'); "
                            + "--skip-existing skips it when its keys match")
                }
            } else {
                if let taken = byName[row.name] {
                    rowProblems.append("a source named '\(row.name)' already exists (id \(taken.source.id))")
                }
                for (n, key) in row.writeKeys.enumerated() where keyOwner[key] != nil {
                    rowProblems.append("write key \(n + 1) is already in use by source \(keyOwner[key] ?? "")")
                }
            }
            problems += rowProblems.map { "\(row.location): \($0)" }
            if rowProblems.isEmpty { entries.append(Entry(row: row, action: action)) }
        }
    }

    public var isValid: Bool { problems.isEmpty }
}
