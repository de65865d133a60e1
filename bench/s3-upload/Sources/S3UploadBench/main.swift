import AsyncHTTPClient
import Foundation
import Logging
import S3

// Uploads every file of a directory with Sluice's S3 client and prints the wall time.
// Usage: S3UploadBench ENDPOINT BUCKET DIRECTORY PREFIX [CONCURRENCY]
// Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (this is a composition root).
let arguments = CommandLine.arguments
guard arguments.count >= 5 else {
    FileHandle.standardError.write(Data("usage: S3UploadBench ENDPOINT BUCKET DIRECTORY PREFIX [CONCURRENCY]\n".utf8))
    exit(2)
}
let (endpoint, bucket, directory, prefix) = (arguments[1], arguments[2], arguments[3], arguments[4])
let concurrency = arguments.count > 5 ? Int(arguments[5]) ?? 10 : 10
let environment = ProcessInfo.processInfo.environment
let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()

let http = HTTPClient(
    eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: S3Client.httpClientConfiguration())
let s3 = try S3Client(
    configuration: .init(
        endpoint: endpoint, region: environment["AWS_DEFAULT_REGION"] ?? "us-east-1", addressing: .path,
        credentials: EnvironmentCredentialsProvider(environment: environment),
        // Same shape as `aws s3 cp`: 8 MiB threshold and parts, 10 transfers at once.
        multipart: .init(threshold: 8 << 20, partSize: 8 << 20, concurrency: 4)),
    httpClient: http, logger: Logger(label: "bench"))

let clock = ContinuousClock()
let start = clock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    var next = 0
    func add() {
        let name = files[next]
        next += 1
        group.addTask {
            try await s3.uploadFile(bucket: bucket, key: prefix + name, path: directory + "/" + name)
        }
    }
    for _ in 0..<min(concurrency, files.count) { add() }
    while try await group.next() != nil {
        if next < files.count { add() }
    }
}
let elapsed = clock.now - start
try await http.shutdown()
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(String(format: "%.3f", seconds))
