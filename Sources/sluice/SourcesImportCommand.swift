import ArgumentParser
import Foundation
import SluiceApp

extension Sources {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create many sources at once, keeping their Segment ids and write keys.",
            discussion: """
                FILE is a CSV with a header row name,id,write_keys (keys separated by ';' or '|'), a JSON array \
                [{"name": ..., "id": ..., "writeKeys": [...]}], or the JSON Segment's Public API answers for \
                GET /sources ({"data":{"sources":[...]}}; the name is the source's slug). Every row is checked first; \
                if any has a problem, each is listed with its line or entry and nothing is imported.
                """)
        @Argument(help: "The file to read ('-' for standard input).") var file: String
        @Flag(help: "Check the file and print what would be created; change nothing.") var dryRun = false
        @Flag(help: "A source already present with the same id and write keys is skipped instead of refused.")
        var skipExisting = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let bytes: [UInt8]
            if file == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                guard let contents = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("cannot read '\(file)'")
                }
                bytes = Array(contents)
            }
            let parsed = SourceImportFile.parse(bytes)
            let outcome: [ImportedSource]
            do {
                outcome = try await withCatalog(data) { catalog in
                    try await SluiceApp.importSources(
                        parsed, into: catalog, skipExisting: skipExisting, dryRun: dryRun,
                        nowMilliseconds: nowMilliseconds())
                }
            } catch let error as SourceImportError {
                for problem in error.problems { FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8)) }
                throw ValidationError(error.message)
            }
            for note in parsed.ignored { FileHandle.standardError.write(Data("\(file): ignored \(note)\n".utf8)) }
            if json {
                print(try jsonText(outcome))
                return
            }
            for source in outcome {
                let verb =
                    switch source.action {
                    case .create: dryRun ? "would create" : "created"
                    case .skip: "skipped (already present)"
                    }
                print("\(verb) \(source.name) id \(source.id) with \(source.writeKeys) write key(s)")
            }
            let created = outcome.filter { $0.action == .create }.count
            print(
                "\(dryRun ? "dry run: would create" : "created") \(created) source(s), skipped "
                    + "\(outcome.count - created) (\(parsed.format.rawValue) file)")
        }
    }
}
