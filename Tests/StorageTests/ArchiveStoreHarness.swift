import AsyncHTTPClient
import Foundation
import Logging
import S3
import SluiceTesting
import Storage
import Synchronization
import Testing

/// The archive store implementations the contract suite runs against, each fresh and empty.
enum ArchiveStoreImplementation: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case local
    /// A bucket of its own (under a key prefix) on moto's S3 server.
    case s3

    var testDescription: String { rawValue }

    /// Runs `body` with an empty store and a scratch directory for source and downloaded files.
    func with(_ body: (any ArchiveStore, _ scratch: String) async throws -> Void) async throws {
        let dir = try TemporaryDirectory("archive-contract")
        defer { dir.remove() }
        try Files.makeDirectories(dir.path + "/scratch")
        switch self {
        case .local:
            try await body(LocalArchiveStore(root: dir.path + "/bucket"), dir.path + "/scratch")
        case .s3:
            let moto = try await SharedMoto.server()
            let client = try S3Client(
                configuration: .init(
                    endpoint: moto.endpoint, region: "us-east-1", addressing: .path,
                    credentials: StaticCredentialsProvider(
                        AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))),
                httpClient: SharedMoto.httpClient, logger: Logger(label: "test.storage.s3"))
            let bucket = "staging-" + UUID().uuidString.lowercased().prefix(13)
            try await client.createBucket(String(bucket))
            let store = S3ArchiveStore(
                client: client, bucket: String(bucket), prefix: "stage/area", temporaryDirectory: dir.path + "/tmp")
            try await body(store, dir.path + "/scratch")
        }
    }
}

/// One moto server and HTTP client for the whole test process, stopped when it exits.
enum SharedMoto {
    static let httpClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: S3Client.httpClientConfiguration())
    static let started = Mutex<MotoServer?>(nil)
    static let starter = Starter()

    static func server() async throws -> MotoServer { try await starter.get() }

    actor Starter {
        func get() async throws -> MotoServer {
            if let running = SharedMoto.started.withLock({ $0 }) { return running }
            let server = try await MotoServer.start()
            SharedMoto.started.withLock { $0 = server }
            atexit { SharedMoto.started.withLock { $0?.stop() } }
            return server
        }
    }
}
