import ArgumentParser
import Catalog
import Foundation

extension Sources {
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add, list and revoke a source's write keys (a source may hold several, e.g. during rotation).",
            subcommands: [Add.self, List.self, Revoke.self]
        )

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add a write key to a source and print it (shown once; `keys list` shows it again).")
            @Argument(help: "Source name or id.") var source: String
            @Option(
                name: .customLong("write-key"),
                help: ArgumentHelp("Use this key (e.g. one Segment issued) instead of a random one.", valueName: "key"))
            var writeKey: String?
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var data: DataDirectoryOption

            func run() async throws {
                let added = try await withCatalog(data) { catalog in
                    let found = try await existingSource(source, in: catalog)
                    return try await catalog.addWriteKey(
                        sourceID: found.id, key: writeKey, nowMilliseconds: nowMilliseconds())
                }
                print(json ? try jsonText(KeyView(added)) : "added write key to source \(source): \(added.key)")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List a source's write keys, oldest first, with when each was created and revoked.")
            @Argument(help: "Source name or id.") var source: String
            @Flag(help: "Print JSON (includes the keys).") var json = false
            @OptionGroup var data: DataDirectoryOption

            func run() async throws {
                let keys = try await withCatalog(data) { catalog in
                    try await catalog.writeKeys(sourceID: try await existingSource(source, in: catalog).id)
                }
                if json {
                    print(try jsonText(keys.map(KeyView.init)))
                    return
                }
                for key in keys {
                    let revoked = key.revokedAtMilliseconds.map { "revoked \(timestamp($0))" } ?? "active"
                    print("\(key.key)  created \(timestamp(key.createdAtMilliseconds))  \(revoked)")
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Revoke one of a source's write keys: it answers 401 unknown_write_key from then on.",
                discussion: """
                    A running server trusts a key it has seen for up to 5 seconds, so every node refuses it within \
                    5 s; POST /admin/keys/revoke on a node refuses it there with the next request.
                    """)
            @Argument(help: "Source name or id.") var source: String
            @Argument(help: "The write key to revoke.") var key: String
            @OptionGroup var data: DataDirectoryOption

            func run() async throws {
                try await withCatalog(data) { catalog in
                    let found = try await existingSource(source, in: catalog)
                    let keys = try await catalog.writeKeys(sourceID: found.id)
                    guard let match = keys.first(where: { $0.key == key }) else {
                        throw ValidationError(
                            "source \(found.name) has no such write key; see `sluice sources keys list`")
                    }
                    guard match.isActive else {
                        throw ValidationError("that write key of \(found.name) is already revoked")
                    }
                    try await catalog.revokeWriteKey(key, nowMilliseconds: nowMilliseconds())
                }
                print("revoked a write key of source \(source)")
            }
        }
    }
}

/// A write key as the CLI prints it in JSON.
struct KeyView: Encodable {
    let key: String
    let sourceID: String
    let createdAt: String
    let revokedAt: String?
    let active: Bool

    init(_ key: WriteKey) {
        self.key = key.key
        sourceID = key.sourceID
        createdAt = timestamp(key.createdAtMilliseconds)
        revokedAt = key.revokedAtMilliseconds.map(timestamp)
        active = key.isActive
    }
}
