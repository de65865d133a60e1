import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import SigV4

extension S3Client {
    /// Stores `body` at `bucket`/`key` in one PutObject request; the body is signed (SHA-256) and, by default,
    /// protected by Content-MD5.
    ///
    /// ```swift
    /// try await s3.putObject(bucket: "b", key: "k.gz", body: ByteBuffer(bytes: gz), contentType: "text/plain",
    ///                        contentEncoding: "gzip", encryption: .aes256)
    /// ```
    /// - Parameter ifNoneMatch: send `If-None-Match: *` so an existing object is never replaced
    ///   (`.preconditionFailed` if it exists).
    @discardableResult
    public func putObject(
        bucket: String, key: String, body: ByteBuffer, contentType: String? = nil, contentEncoding: String? = nil,
        encryption: ServerSideEncryption = .none, contentMD5: ContentMD5 = .computed, ifNoneMatch: Bool = false,
        metadata: [String: String] = [:]
    ) async throws -> PutObjectResult {
        var request = S3Request(operation: "PutObject", method: .PUT, bucket: bucket, key: key)
        request.headers = objectHeaders(
            contentType: contentType, contentEncoding: contentEncoding, encryption: encryption, metadata: metadata)
        if let md5 = Self.md5Header(contentMD5, body: body) { request.headers.append(("Content-MD5", md5)) }
        if ifNoneMatch { request.headers.append(("If-None-Match", "*")) }
        request.body = body
        request.isTransfer = true
        let response = try await execute(request)
        return Self.putResult(response.headers, partCount: nil)
    }

    /// Stores the file at `path` in one PutObject request whose body streams from disk (the file is read once to
    /// sign it and compute its Content-MD5, then again while sending), so a batch is never held in memory.
    ///
    /// ```swift
    /// try await s3.putObject(bucket: "b", key: "k.gz", file: "/data/batch.gz", contentType: "text/plain",
    ///                        contentEncoding: "gzip", encryption: .aes256, ifNoneMatch: true)
    /// ```
    @discardableResult
    public func putObject(
        bucket: String, key: String, file path: String, contentType: String? = nil, contentEncoding: String? = nil,
        encryption: ServerSideEncryption = .none, ifNoneMatch: Bool = false, metadata: [String: String] = [:]
    ) async throws -> PutObjectResult {
        let file: FileBody
        do {
            file = try await FileBody.hashing(path: path)
        } catch {
            throw S3Error(
                code: .fileError, bucket: bucket, key: key, message: "Cannot read \(path): \(error)",
                operation: "PutObject", underlying: error)
        }
        var request = S3Request(operation: "PutObject", method: .PUT, bucket: bucket, key: key)
        request.headers = objectHeaders(
            contentType: contentType, contentEncoding: contentEncoding, encryption: encryption, metadata: metadata)
        request.headers.append(("Content-MD5", file.md5Base64))
        if ifNoneMatch { request.headers.append(("If-None-Match", "*")) }
        request.fileBody = file
        request.isTransfer = true
        let response = try await execute(request)
        return Self.putResult(response.headers, partCount: nil)
    }

    /// `putObject` for a byte array.
    @discardableResult
    public func putObject(
        bucket: String, key: String, body: [UInt8], contentType: String? = nil, contentEncoding: String? = nil,
        encryption: ServerSideEncryption = .none, contentMD5: ContentMD5 = .computed, ifNoneMatch: Bool = false
    ) async throws -> PutObjectResult {
        try await putObject(
            bucket: bucket, key: key, body: ByteBuffer(bytes: body), contentType: contentType,
            contentEncoding: contentEncoding, encryption: encryption, contentMD5: contentMD5, ifNoneMatch: ifNoneMatch)
    }

    /// HeadObject. A missing object throws `.noSuchKey`.
    public func headObject(bucket: String, key: String) async throws -> ObjectInfo {
        let response = try await execute(S3Request(operation: "HeadObject", method: .HEAD, bucket: bucket, key: key))
        return Self.objectInfo(response.headers)
    }

    /// Copies `sourceBucket`/`sourceKey` to `bucket`/`key` on the server (objects up to 5 GB), keeping metadata.
    @discardableResult
    public func copyObject(
        sourceBucket: String, sourceKey: String, bucket: String, key: String,
        encryption: ServerSideEncryption = .none
    ) async throws -> PutObjectResult {
        var request = S3Request(operation: "CopyObject", method: .PUT, bucket: bucket, key: key)
        request.headers = [("x-amz-copy-source", "/\(sourceBucket)/" + URIEncoding.encodeKeyPath(sourceKey))]
        request.headers += encryption.headers
        request.errorMayArriveWith200 = true
        request.isTransfer = true
        let response = try await execute(request)
        var result = Self.putResult(response.headers, partCount: nil)
        if let eTag = XMLNode.parse(response.body)?.string("ETag") { result.eTag = Self.unquote(eTag) }
        return result
    }

    /// DeleteObject (succeeds when the key does not exist, as S3 does).
    public func deleteObject(bucket: String, key: String) async throws {
        _ = try await execute(S3Request(operation: "DeleteObject", method: .DELETE, bucket: bucket, key: key))
    }

    func objectHeaders(
        contentType: String?, contentEncoding: String?, encryption: ServerSideEncryption, metadata: [String: String]
    ) -> [(String, String)] {
        var headers: [(String, String)] = []
        if let contentType { headers.append(("Content-Type", contentType)) }
        if let contentEncoding { headers.append(("Content-Encoding", contentEncoding)) }
        headers += encryption.headers
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) { headers.append(("x-amz-meta-\(name)", value)) }
        return headers
    }

    static func md5Header(_ option: ContentMD5, body: ByteBuffer) -> String? {
        switch option {
        case .omitted: return nil
        case .provided(let value): return value
        case .computed: return body.withUnsafeReadableBytes { Data(Insecure.MD5.hash(data: $0)).base64EncodedString() }
        }
    }

    static func unquote(_ eTag: String) -> String {
        eTag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    static func putResult(_ headers: HTTPHeaders, partCount: Int?) -> PutObjectResult {
        PutObjectResult(
            eTag: unquote(headers.first(name: "etag") ?? ""), versionID: headers.first(name: "x-amz-version-id"),
            serverSideEncryption: headers.first(name: "x-amz-server-side-encryption"),
            kmsKeyID: headers.first(name: "x-amz-server-side-encryption-aws-kms-key-id"), partCount: partCount)
    }

    static func objectInfo(_ headers: HTTPHeaders) -> ObjectInfo {
        var metadata: [String: String] = [:]
        for header in headers where header.name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(header.name.lowercased().dropFirst("x-amz-meta-".count))] = header.value
        }
        return ObjectInfo(
            contentLength: Int64(headers.first(name: "content-length") ?? "") ?? 0,
            eTag: unquote(headers.first(name: "etag") ?? ""), contentType: headers.first(name: "content-type"),
            contentEncoding: headers.first(name: "content-encoding"),
            lastModified: headers.first(name: "last-modified"),
            serverSideEncryption: headers.first(name: "x-amz-server-side-encryption"),
            kmsKeyID: headers.first(name: "x-amz-server-side-encryption-aws-kms-key-id"),
            versionID: headers.first(name: "x-amz-version-id"), metadata: metadata)
    }
}
