import ArgumentParser
import Catalog
import Delivery
import Foundation

extension Sources {
    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a source a new name; its id, write keys and segment-logs/{id}/ folders stay.")
        @Argument(help: "Source name or id.") var source: String
        @Argument(help: "The new name (letters, digits, '-', '_', '.'; not taken by another source).") var newName:
            String
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let renamed = try await withCatalog(data) { catalog in
                try await catalog.renameSource(id: try await existingSource(source, in: catalog).id, to: newName)
            }
            print("renamed source \(renamed.id) to \(renamed.name)")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a source with its write keys, quarantine and destinations.",
            discussion: """
                Refused while staged files of the source still await copy to an enabled destination. Files already \
                in destination buckets and in staging are not removed.
                """)
        @Argument(help: "Source name or id.") var source: String
        @Flag(help: "Delete even though staged files await copy; says what is dropped.") var force = false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let report = try await withRegistry(data) { registry, catalog in
                let found = try await existingSource(source, in: catalog)
                let owed = try await registry.statuses().filter {
                    $0.destination.sourceID == found.id && $0.destination.enabled && $0.pendingFiles > 0
                }
                let lines = owed.map {
                    "\($0.pendingFiles) staged file(s) (\($0.pendingBytes) bytes) not yet copied to destination "
                        + "\($0.destination.id) (\($0.destination.bucket))"
                }
                guard owed.isEmpty || force else {
                    throw ValidationError(
                        "source \(found.name) still has " + lines.joined(separator: "; ")
                            + "; run `sluice copy --now` first, or delete with --force to drop them")
                }
                let keys = try await catalog.writeKeys(sourceID: found.id).filter(\.isActive).count
                try await catalog.deleteSource(id: found.id)
                return (found, keys, lines)
            }
            let (deleted, keys, dropped) = report
            for line in dropped { print("dropped: \(line)") }
            print(
                "deleted source \(deleted.name) (\(deleted.id)); its \(keys) active write key(s) no longer authenticate"
            )
        }
    }
}
