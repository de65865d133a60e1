import AsyncHTTPClient
import NIOCore
import NIOFileSystem

extension S3Client {
    /// Downloads an object into `filePath` (created or replaced), streaming it to disk off the cooperative pool.
    /// The file is complete when this returns; a failed attempt is retried from the start. Callers wanting
    /// atomic visibility write to a temporary path and rename.
    ///
    /// ```swift
    /// let info = try await s3.getObject(bucket: "b", key: "k.gz", to: "/tmp/k.gz.part",
    ///                                   responseContentEncoding: "identity")
    /// ```
    /// - Parameter responseContentEncoding: ask S3 to answer with this `Content-Encoding`
    ///   (`response-content-encoding`), e.g. so an HTTP stack does not transparently gunzip a `.gz` object.
    @discardableResult
    public func getObject(
        bucket: String, key: String, to filePath: String, responseContentEncoding: String? = nil
    ) async throws -> ObjectInfo {
        var request = S3Request(operation: "GetObject", method: .GET, bucket: bucket, key: key)
        if let responseContentEncoding {
            request.query = [.init("response-content-encoding", responseContentEncoding)]
        }
        request.isTransfer = true
        let sink: BodySink = { response in
            let expected = response.headers.first(name: "content-length").flatMap { Int64($0) }
            let written = try await Self.write(response.body, to: filePath)
            if let expected, expected != written {
                throw S3Error(
                    code: .connectionFailed, bucket: bucket, key: key,
                    message: "GetObject received \(written) of \(expected) bytes; the connection was cut.",
                    operation: "GetObject")
            }
            return Int(written)
        }
        let response = try await execute(request, sink: sink)
        return Self.objectInfo(response.headers)
    }

    static func write(_ body: HTTPClientResponse.Body, to filePath: String) async throws -> Int64 {
        do {
            return try await FileSystem.shared.withFileHandle(
                forWritingAt: FilePath(filePath), options: .newFile(replaceExisting: true)
            ) { handle in
                var offset: Int64 = 0
                for try await chunk in body {
                    offset += try await handle.write(contentsOf: chunk, toAbsoluteOffset: offset)
                }
                return offset
            }
        } catch let error as FileSystemError {
            throw S3Error(
                code: .fileError, message: "Cannot write \(filePath): \(error.message)", operation: "GetObject",
                underlying: error)
        }
    }
}
