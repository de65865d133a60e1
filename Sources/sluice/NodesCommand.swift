import ArgumentParser
import Catalog
import Foundation

struct Nodes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect the nodes that share this catalog.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List nodes: id, address, version, last heartbeat, open batches, spool backlog, copy leases.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let nodes = try await withCatalog(data) { catalog in try await catalog.nodes() }
            if json {
                print(try jsonText(nodes))
                return
            }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            print("ID  ADDRESS  VERSION  LAST HEARTBEAT  OPEN BATCHES  SPOOL BACKLOG BYTES  COPY LEASES")
            for node in nodes {
                let age = max(0, now - node.heartbeatAtMilliseconds) / 1000
                print(
                    "\(node.id)  \(node.address)  \(node.version)  \(age) s ago  \(node.openBatches)  "
                        + "\(node.spoolBacklogBytes)  \(node.copyLeases)")
            }
        }
    }
}
