import ArgumentParser
import Catalog
import Foundation
import Logging
import SluiceApp

struct Sources: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, import, list, rename and delete sources and manage their write keys.",
        subcommands: [Create.self, List.self, Import.self, Keys.self, CORS.self, Rename.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a source and print its id and write key.")
        @Argument(help: "Source name (letters, digits, '-', '_', '.').") var name: String
        @Option(
            help: ArgumentHelp(
                "Keep this Segment source id (10 or 22 letters and digits) instead of a new random one.",
                discussion: "New files then continue the existing segment-logs/{id}/ folders.", valueName: "source-id"))
        var id: String?
        @Option(
            name: .customLong("write-key"),
            help: ArgumentHelp(
                "Use this write key (e.g. the one Segment shows) instead of a random one.", valueName: "key"))
        var writeKey: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let source = try await withCatalog(data) { catalog in
                try await catalog.createSource(id: id, name: name, writeKey: writeKey, nowMilliseconds: now)
            }
            if json {
                print(try jsonText(source))
            } else {
                print("source \(source.name)\n  id:        \(source.id)\n  write key: \(source.writeKey)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sources.")
        @Flag(help: "Print JSON (includes write keys).") var json = false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let all = try await withCatalog(data) { catalog in try await catalog.sources() }
            if json {
                print(try jsonText(all))
            } else {
                for source in all { print("\(source.id)  \(source.name)") }
            }
        }
    }
}

/// The source named or numbered `idOrName`, or a clear error.
func existingSource(_ idOrName: String, in catalog: any SluiceCatalog) async throws -> Source {
    guard let source = try await catalog.source(idOrName: idOrName) else {
        throw ValidationError("no source '\(idOrName.prefix(64))'; see `sluice sources list`")
    }
    return source
}

func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

/// Runs `body` with the catalog of `--data-dir`; `SluiceApp` picks and closes the implementation.
func withCatalog<T: Sendable>(_ data: DataDirectoryOption, _ body: (any SluiceCatalog) async throws -> T)
    async throws -> T
{
    try await SluiceApp.withCatalog(
        dataDirectory: data.dataDirectory, catalog: data.catalog, environment: environment, logger: quietLogger(), body)
}

/// The CLI's logger: warnings and errors only, so command output stays readable.
func quietLogger() -> Logger {
    var logger = Logger(label: "sluice")
    logger.logLevel = .warning
    return logger
}

func jsonText<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
