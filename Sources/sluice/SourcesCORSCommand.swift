import ArgumentParser
import Foundation
import SluiceApp

extension Sources {
    struct CORS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cors",
            abstract: "Show or set which browser origins may send events with a source's write keys.",
            discussion: """
                A source with a list answers a browser request from any other origin with 403 origin_not_allowed; \
                a source without one follows http.cors.allowOrigins (every origin by default). Preflights carry no \
                write key: they are allowed for any origin the server's or some source's list allows. Running \
                nodes apply a change within 5 seconds.
                """)
        @Argument(help: "Source name or id.") var source: String
        @Option(
            name: .customLong("allow-origin"),
            help: ArgumentHelp(
                "An origin (scheme://host[:port]) allowed for this source; repeat for more.",
                valueName: "origin"))
        var allowOrigins: [String] = []
        @Flag(help: "Allow every origin for this source, whatever http.cors.allowOrigins says.") var any = false
        @Flag(help: "Remove the source's list: http.cors.allowOrigins applies again.") var clear = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var data: DataDirectoryOption

        func validate() throws {
            let chosen = [!allowOrigins.isEmpty, any, clear].filter { $0 }.count
            guard chosen <= 1 else { throw ValidationError("give --allow-origin, --any or --clear, not several") }
        }

        func run() async throws {
            // nil: show the list; .some(nil): remove it.
            var change: [String]?? = nil
            if any { change = .some(["*"]) }
            if clear { change = .some(nil) }
            if !allowOrigins.isEmpty { change = .some(allowOrigins) }
            let (found, origins) = try await withCatalog(data) { [change] catalog in
                let found = try await existingSource(source, in: catalog)
                guard let change else { return (found, try await catalog.sourceOrigins()[found.id]) }
                do {
                    return (found, try await SluiceApp.setSourceOrigins(change, sourceID: found.id, in: catalog))
                } catch let error as SourceOriginsError {
                    throw ValidationError(error.message)
                }
            }
            if json {
                let shown = CORSListing(source: found.name, id: found.id, allowOrigins: origins)
                print(try jsonText(shown).replacingOccurrences(of: "\n", with: ""))
                return
            }
            switch origins {
            case nil: print("source \(found.name): no list of its own; http.cors.allowOrigins applies")
            case ["*"]?: print("source \(found.name): every origin allowed")
            case let list?: print("source \(found.name): origins allowed: \(list.joined(separator: " "))")
            }
        }
    }
}

/// What `sources cors --json` prints; `allowOrigins` absent when the source has no list of its own.
struct CORSListing: Encodable {
    let source: String
    let id: String
    let allowOrigins: [String]?
}
