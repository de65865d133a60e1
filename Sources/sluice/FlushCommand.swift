import ArgumentParser
import SluiceApp

struct Flush: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Close every open batch of a running server now and wait until they are written.")
    @Option(help: "Base URL of the running server.") var url = "http://127.0.0.1:8080"
    @Option(help: "Admin token (default: read from {data-dir}/admin-token).") var token: String?
    @OptionGroup var data: DataDirectoryOption

    func run() async throws {
        guard let token = token ?? DataDirectory(data.dataDirectory).existingAdminToken() else {
            throw ValidationError("no admin token: pass --token or --data-dir of the server")
        }
        print(try await AdminClient(baseURL: url, token: token).flush())
    }
}
