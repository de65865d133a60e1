import AsyncHTTPClient
import Foundation
import Logging
import S3
import SluiceTesting
import Storage
import Testing

/// What only the S3 staging store promises: encryption at rest and Segment's metadata on every staged object.
@Suite struct S3ArchiveStoreTests {
    @Test func stagedObjectsAreEncryptedWithAES256AndKeepTheirMetadata() async throws {
        let moto = try await SharedMoto.server()
        let client = try S3Client(
            configuration: .init(
                endpoint: moto.endpoint, region: "us-east-1", addressing: .path,
                credentials: StaticCredentialsProvider(
                    AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))),
            httpClient: SharedMoto.httpClient, logger: Logger(label: "test.storage.s3"))
        let bucket = "sse-" + String(UUID().uuidString.lowercased().prefix(13))
        try await client.createBucket(bucket)
        let dir = try TemporaryDirectory("s3-archive")
        defer { dir.remove() }
        let store = S3ArchiveStore(client: client, bucket: bucket, prefix: "stage", temporaryDirectory: dir.path)
        let path = dir.path + "/batch.gz"
        try Data([0x1F, 0x8B, 1, 2, 3]).write(to: URL(fileURLWithPath: path))
        try await store.put(file: path, key: ArchiveStoreContractTests.key, metadata: .segmentBatch)

        let info = try await client.headObject(bucket: bucket, key: "stage/" + ArchiveStoreContractTests.key)
        #expect(info.serverSideEncryption == "AES256")
        #expect(info.contentType == "text/plain" && info.contentEncoding == "gzip")
        #expect(info.contentLength == 5)
        #expect(store.location == "s3://\(bucket)/stage")
    }
}
