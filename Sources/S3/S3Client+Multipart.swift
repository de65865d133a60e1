import Logging
import NIOCore
import NIOFileSystem

extension S3Client {
    /// Uploads a file: one PutObject streamed from disk below `configuration.multipart.threshold`, otherwise a
    /// multipart upload with `concurrency` parts in flight, each part signed and protected by Content-MD5. When any
    /// part fails for good, or the task is cancelled, the upload is aborted so no incomplete upload is left behind.
    /// `ifNoneMatch` (`If-None-Match: *`) applies to the single PutObject only; stores differ on conditional
    /// multipart completion, so a multipart upload is unconditional.
    ///
    /// ```swift
    /// try await s3.uploadFile(bucket: "b", key: "big.gz", path: "/spool/batch.gz", contentType: "text/plain",
    ///                         contentEncoding: "gzip", encryption: .aes256)
    /// ```
    @discardableResult
    public func uploadFile(
        bucket: String, key: String, path: String, contentType: String? = nil, contentEncoding: String? = nil,
        encryption: ServerSideEncryption = .none, ifNoneMatch: Bool = false, metadata: [String: String] = [:]
    ) async throws -> PutObjectResult {
        do {
            let size = try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { file in
                try await file.info().size
            }
            let policy = configuration.multipart
            if size < Int64(policy.threshold) {
                return try await putObject(
                    bucket: bucket, key: key, file: path, contentType: contentType, contentEncoding: contentEncoding,
                    encryption: encryption, ifNoneMatch: ifNoneMatch, metadata: metadata)
            }
            return try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { file in
                let plan = MultipartPlan(size: size, partSize: policy.partSize)
                let headers = objectHeaders(
                    contentType: contentType, contentEncoding: contentEncoding, encryption: encryption,
                    metadata: metadata)
                return try await uploadParts(bucket: bucket, key: key, plan: plan, headers: headers) { part in
                    try await file.readChunk(fromAbsoluteOffset: part.offset, length: .bytes(Int64(part.length)))
                }
            }
        } catch let error as FileSystemError {
            throw S3Error(
                code: .fileError, bucket: bucket, key: key, message: "Cannot read \(path): \(error.message)",
                operation: "UploadFile", underlying: error)
        }
    }

    /// Creates the upload, sends the parts (bounded concurrency), completes it, and aborts it on any failure.
    func uploadParts(
        bucket: String, key: String, plan: MultipartPlan, headers: [(String, String)],
        read: @escaping @Sendable (MultipartPlan.Part) async throws -> ByteBuffer
    ) async throws -> PutObjectResult {
        let uploadID = try await createMultipartUpload(bucket: bucket, key: key, headers: headers)
        do {
            let eTags = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                var eTags = [String](repeating: "", count: plan.parts.count)
                var next = 0
                for _ in 0..<min(configuration.multipart.concurrency, plan.parts.count) {
                    let part = plan.parts[next]
                    next += 1
                    group.addTask { (part.number, try await uploadPart(bucket, key, uploadID, part, read)) }
                }
                while let (number, eTag) = try await group.next() {
                    eTags[number - 1] = eTag
                    if next < plan.parts.count {
                        let part = plan.parts[next]
                        next += 1
                        group.addTask { (part.number, try await uploadPart(bucket, key, uploadID, part, read)) }
                    }
                }
                return eTags
            }
            try Task.checkCancellation()
            return try await completeMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, eTags: eTags)
        } catch {
            await abortAfterFailure(bucket: bucket, key: key, uploadID: uploadID, cause: error)
            throw error
        }
    }

    func createMultipartUpload(bucket: String, key: String, headers: [(String, String)]) async throws -> String {
        var request = S3Request(operation: "CreateMultipartUpload", method: .POST, bucket: bucket, key: key)
        request.query = [.init("uploads")]
        request.headers = headers
        let response = try await execute(request)
        guard let uploadID = XMLNode.parse(response.body)?.string("UploadId"), !uploadID.isEmpty else {
            throw invalidResponse(response, request)
        }
        return uploadID
    }

    private func uploadPart(
        _ bucket: String, _ key: String, _ uploadID: String, _ part: MultipartPlan.Part,
        _ read: @Sendable (MultipartPlan.Part) async throws -> ByteBuffer
    ) async throws -> String {
        let body = try await read(part)
        var request = S3Request(operation: "UploadPart", method: .PUT, bucket: bucket, key: key)
        request.query = [.init("partNumber", String(part.number)), .init("uploadId", uploadID)]
        request.body = body
        request.isTransfer = true
        if let md5 = Self.md5Header(.computed, body: body) { request.headers = [("Content-MD5", md5)] }
        let response = try await execute(request)
        return response.eTag ?? ""
    }

    func completeMultipartUpload(bucket: String, key: String, uploadID: String, eTags: [String]) async throws
        -> PutObjectResult
    {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload>"
        for (index, eTag) in eTags.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(XMLNode.escape(eTag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        var request = S3Request(operation: "CompleteMultipartUpload", method: .POST, bucket: bucket, key: key)
        request.query = [.init("uploadId", uploadID)]
        request.headers = [("Content-Type", "application/xml")]
        request.body = ByteBuffer(string: xml)
        request.errorMayArriveWith200 = true
        request.isTransfer = true
        let response = try await execute(request)
        var result = Self.putResult(response.headers, partCount: eTags.count)
        if let eTag = XMLNode.parse(response.body)?.string("ETag"), !eTag.isEmpty { result.eTag = Self.unquote(eTag) }
        return result
    }

    /// AbortMultipartUpload, shielded from the caller's cancellation: an abort that is itself cancelled would
    /// leave the parts stored (and billed) forever.
    func abortAfterFailure(bucket: String, key: String, uploadID: String, cause: any Error) async {
        logger.warning(
            "aborting multipart upload",
            metadata: ["s3.bucket": "\(bucket)", "s3.key": "\(key)", "s3.error": "\(cause)"])
        // An unstructured task is the only way to run an await that the caller's cancellation cannot reach;
        // it is awaited right here, so it never outlives this call.
        let abort = Task {
            try await abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
        }
        do {
            try await abort.value
        } catch {
            logger.error(
                "multipart upload could not be aborted; a lifecycle rule must clean it up",
                metadata: ["s3.bucket": "\(bucket)", "s3.key": "\(key)", "s3.error": "\(error)"])
        }
    }

    /// AbortMultipartUpload; an upload that is already gone counts as aborted.
    public func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
        var request = S3Request(operation: "AbortMultipartUpload", method: .DELETE, bucket: bucket, key: key)
        request.query = [.init("uploadId", uploadID)]
        do {
            _ = try await execute(request)
        } catch let error as S3Error where error.code == .noSuchUpload {
            return
        }
    }

    /// Uploads still in progress under `prefix` (key, upload id).
    public func listMultipartUploads(bucket: String, prefix: String? = nil) async throws
        -> [(key: String, uploadID: String)]
    {
        var request = S3Request(operation: "ListMultipartUploads", method: .GET, bucket: bucket)
        request.query = [.init("uploads")]
        if let prefix { request.query.append(.init("prefix", prefix)) }
        let response = try await execute(request)
        return (XMLNode.parse(response.body)?.all("Upload") ?? []).map {
            ($0.string("Key") ?? "", $0.string("UploadId") ?? "")
        }
    }
}

/// How a body of `size` bytes is cut into parts: `partSize` each (raised so there are at most 10,000), the
/// last one shorter.
struct MultipartPlan: Sendable, Hashable {
    struct Part: Sendable, Hashable {
        var number: Int
        var offset: Int64
        var length: Int
    }

    static let maxParts = 10_000
    static let minPartSize = 5 << 20
    let partSize: Int
    let parts: [Part]

    init(size: Int64, partSize requested: Int) {
        var partSize = max(requested, 1)
        let needed = (size + Int64(partSize) - 1) / Int64(partSize)
        if needed > Int64(Self.maxParts) {
            partSize = Int((size + Int64(Self.maxParts) - 1) / Int64(Self.maxParts))
        }
        self.partSize = partSize
        var parts: [Part] = []
        var offset: Int64 = 0
        repeat {
            let length = Int(min(Int64(partSize), size - offset))
            parts.append(Part(number: parts.count + 1, offset: offset, length: length))
            offset += Int64(length)
        } while offset < size
        self.parts = parts
    }
}
