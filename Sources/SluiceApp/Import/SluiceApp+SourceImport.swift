import Catalog

/// The outcome of one row of an import.
public struct ImportedSource: Sendable, Hashable, Codable {
    public let location: String
    public let name: String
    public let id: String
    /// How many write keys the source holds from the file (the keys themselves are secrets and not repeated).
    public let writeKeys: Int
    public let action: SourceImportPlan.Action
}

/// An import that was refused or failed, with every reason.
public struct SourceImportError: Error, CustomStringConvertible, Sendable {
    public let problems: [String]
    public let message: String
    public var description: String { message }
}

extension SluiceApp {
    /// Imports the sources of `file` (see `SourceImportFile`): nothing is created unless every row is valid; with
    /// `dryRun` nothing is created at all and the plan is returned. If the catalog refuses a row anyway (another
    /// writer took an id or a key since the check), the sources this run created are deleted again.
    ///
    /// ```swift
    /// let done = try await SluiceApp.importSources(file, into: catalog, skipExisting: true, dryRun: false, now: 0)
    /// ```
    public static func importSources(
        _ file: SourceImportFile, into catalog: any CatalogStore, skipExisting: Bool, dryRun: Bool,
        nowMilliseconds: Int64
    ) async throws -> [ImportedSource] {
        guard file.problems.isEmpty else {
            throw SourceImportError(
                problems: file.problems, message: "\(file.problems.count) row(s) cannot be read; nothing was imported")
        }
        var existing: [SourceImportPlan.Existing] = []
        for source in try await catalog.sources() {
            existing.append(.init(source: source, keys: try await catalog.writeKeys(sourceID: source.id)))
        }
        let plan = SourceImportPlan(rows: file.rows, existing: existing, skipExisting: skipExisting)
        guard plan.isValid else {
            throw SourceImportError(
                problems: plan.problems, message: "\(plan.problems.count) problem(s); nothing was imported")
        }
        let outcome = plan.entries.map {
            ImportedSource(
                location: $0.row.location, name: $0.row.name, id: $0.row.id, writeKeys: $0.row.writeKeys.count,
                action: $0.action)
        }
        guard !dryRun else { return outcome }
        var created: [String] = []
        do {
            for entry in plan.entries where entry.action == .create {
                let row = entry.row
                _ = try await catalog.createSource(
                    id: row.id, name: row.name, writeKey: row.writeKeys[0], nowMilliseconds: nowMilliseconds)
                created.append(row.id)
                for key in row.writeKeys.dropFirst() {
                    _ = try await catalog.addWriteKey(sourceID: row.id, key: key, nowMilliseconds: nowMilliseconds)
                }
            }
        } catch {
            for id in created { try? await catalog.deleteSource(id: id) }
            let reason = error.message
            throw SourceImportError(
                problems: [reason], message: "the catalog refused a source (\(reason)); nothing was imported")
        }
        return outcome
    }
}
