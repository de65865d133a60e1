import Crypto
import Foundation
import S3
import SluiceTesting
import Testing

/// Multipart uploads from files against moto with authentication on.
@Suite(.moto, .timeLimit(.minutes(10)))
struct MultipartTests {
    static func writeFile(_ bytes: [UInt8], in directory: TemporaryDirectory, name: String = "body") throws -> String {
        let path = directory.path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func smallFilesGoInOnePutAndLargeOnesInParallelParts() async throws {
        let moto = try MotoContext.require()
        let s3 = try moto.client(multipart: .init(threshold: 6 << 20, partSize: 5 << 20, concurrency: 3))
        let bucket = uniqueName("mpu")
        try await s3.createBucket(bucket)
        let directory = try TemporaryDirectory("mpu")
        defer { directory.remove() }

        let small = randomBytes(1 << 20)
        let single = try await s3.uploadFile(
            bucket: bucket, key: "small", path: try Self.writeFile(small, in: directory, name: "small"))
        #expect(single.partCount == nil)

        let large = randomBytes((12 << 20) + 17)
        let result = try await s3.uploadFile(
            bucket: bucket, key: "segment-logs/large.gz", path: try Self.writeFile(large, in: directory),
            contentType: "text/plain", contentEncoding: "gzip", encryption: .aes256)
        #expect(result.partCount == 3)
        #expect(result.eTag.hasSuffix("-3"))

        let head = try await s3.headObject(bucket: bucket, key: "segment-logs/large.gz")
        #expect(head.contentLength == Int64(large.count))
        #expect(head.contentEncoding == "gzip")
        #expect(head.serverSideEncryption == "AES256")
        let downloaded = directory.path + "/downloaded"
        try await s3.getObject(bucket: bucket, key: "segment-logs/large.gz", to: downloaded)
        #expect(try Data(contentsOf: URL(fileURLWithPath: downloaded)) == Data(large))
        #expect(try await s3.listMultipartUploads(bucket: bucket).isEmpty)
    }

    /// moto refuses to complete an upload whose non-final parts are under 5 MiB (`EntityTooSmall`): the
    /// client must abort it rather than leave it open.
    @Test func failedUploadIsAbortedNotOrphaned() async throws {
        let moto = try MotoContext.require()
        let s3 = try moto.client(multipart: .init(threshold: 1 << 20, partSize: 1 << 20, concurrency: 2))
        let bucket = uniqueName("abort")
        try await s3.createBucket(bucket)
        let directory = try TemporaryDirectory("abort")
        defer { directory.remove() }
        let path = try Self.writeFile(randomBytes(3 << 20), in: directory)
        let error = await #expect(throws: S3Error.self) {
            try await s3.uploadFile(bucket: bucket, key: "too-small-parts", path: path)
        }
        #expect(error?.code == .entityTooSmall)
        #expect(try await s3.listMultipartUploads(bucket: bucket).isEmpty)
        #expect(moto.server.requestLog().contains { $0.contains("DELETE /\(bucket)/too-small-parts?uploadId=") })
        let missing = await #expect(throws: S3Error.self) {
            try await s3.headObject(bucket: bucket, key: "too-small-parts")
        }
        #expect(missing?.code == .noSuchKey)
    }

    @Test func hundredMegabytesRoundTripByteForByte() async throws {
        let moto = try MotoContext.require()
        let s3 = try moto.client(multipart: .init(threshold: 16 << 20, partSize: 8 << 20, concurrency: 4))
        let bucket = uniqueName("big")
        try await s3.createBucket(bucket)
        let directory = try TemporaryDirectory("big")
        defer { directory.remove() }
        let size = 100 * 1_000_000 + 4_321
        let bytes = randomBytes(size)
        let path = try Self.writeFile(bytes, in: directory)
        let result = try await s3.uploadFile(bucket: bucket, key: "big.bin", path: path)
        #expect(result.partCount == 12)
        let downloaded = directory.path + "/downloaded"
        let info = try await s3.getObject(bucket: bucket, key: "big.bin", to: downloaded)
        #expect(info.contentLength == Int64(size))
        let back = try Data(contentsOf: URL(fileURLWithPath: downloaded))
        #expect(back.count == size)
        #expect(SHA256.hash(data: back) == SHA256.hash(data: bytes))
        #expect(try await s3.listMultipartUploads(bucket: bucket).isEmpty)
    }
}
