import NIOCore
import S3

/// One destination bucket through the S3 client: a staged file streams from disk in one PutObject (multipart only
/// at or above the client's threshold) with the destination's encryption header, `Content-Type: text/plain` and
/// `Content-Encoding: gzip`, protected by Content-MD5.
struct S3DestinationBucket: DestinationBucket {
    let client: S3Client
    let bucket: String
    let encryption: ServerSideEncryption

    func put(file path: String, size: Int64, key: String, ifAbsent: Bool) async throws(DeliveryError) -> PutOutcome {
        do {
            let result = try await client.uploadFile(
                bucket: bucket, key: key, path: path, contentType: "text/plain", contentEncoding: "gzip",
                encryption: encryption, ifNoneMatch: ifAbsent)
            return .stored(eTag: result.eTag.isEmpty ? nil : result.eTag)
        } catch let error as S3Error where ifAbsent && error.code == .preconditionFailed {
            return .alreadyExists
        } catch let error as S3Error where ifAbsent && error.code == .notImplemented {
            // A store without conditional writes: an overwrite puts the same bytes at the same key.
            return try await put(file: path, size: size, key: key, ifAbsent: false)
        } catch {
            throw Self.translate(error, bucket: bucket, key: key)
        }
    }

    func put(bytes: [UInt8], key: String) async throws(DeliveryError) {
        _ = try await put(ByteBuffer(bytes: bytes), key: key, contentEncoding: nil, ifAbsent: false)
    }

    func put(_ body: ByteBuffer, key: String, contentEncoding: String?, ifAbsent: Bool) async throws(DeliveryError)
        -> PutOutcome
    {
        do {
            let result = try await client.putObject(
                bucket: bucket, key: key, body: body, contentType: "text/plain", contentEncoding: contentEncoding,
                encryption: encryption, ifNoneMatch: ifAbsent)
            return .stored(eTag: result.eTag.isEmpty ? nil : result.eTag)
        } catch let error as S3Error where ifAbsent && error.code == .preconditionFailed {
            return .alreadyExists
        } catch let error as S3Error where ifAbsent && error.code == .notImplemented {
            // A store without conditional writes: an overwrite puts the same bytes at the same key.
            return try await put(body, key: key, contentEncoding: contentEncoding, ifAbsent: false)
        } catch {
            throw Self.translate(error, bucket: bucket, key: key)
        }
    }

    func head(key: String) async throws(DeliveryError) -> RemoteObject? {
        do {
            let info = try await client.headObject(bucket: bucket, key: key)
            return RemoteObject(size: info.contentLength, eTag: info.eTag.isEmpty ? nil : info.eTag)
        } catch let error as S3Error where error.code == .noSuchKey {
            return nil
        } catch {
            throw Self.translate(error, bucket: bucket, key: key)
        }
    }

    func delete(key: String) async throws(DeliveryError) {
        do {
            try await client.deleteObject(bucket: bucket, key: key)
        } catch {
            throw Self.translate(error, bucket: bucket, key: key)
        }
    }

    /// S3's answer in the copy job's terms.
    static func translate(_ error: any Error, bucket: String, key: String) -> DeliveryError {
        guard let s3 = error as? S3Error else {
            return DeliveryError(.unavailable, "s3://\(bucket)/\(key): \(error)", underlying: error)
        }
        if s3.operation == "GetBucketLocation" && (s3.code == .accessDenied || s3.httpStatus == 403) {
            // Region discovery: AWS answers HeadBucket with x-amz-bucket-region even on 403, but some
            // S3-compatible stores do not, and a PutObject-only principal may not call GetBucketLocation.
            return DeliveryError(
                .invalidSettings,
                "cannot discover the region of bucket '\(bucket)': the store sent no x-amz-bucket-region and the "
                    + "principal may not call GetBucketLocation. Set the destination's region "
                    + "(`sluice destinations update ID --region REGION`)",
                underlying: s3)
        }
        let code: DeliveryError.Code
        switch s3.code {
        case .accessDenied, .kmsAccessDenied: code = .accessDenied
        case .noSuchBucket: code = .noSuchBucket
        case .signatureDoesNotMatch, .invalidAccessKeyID, .expiredToken, .invalidToken, .credentialsNotFound:
            code = .credentials
        case .fileError: code = .staging
        case .invalidConfiguration: code = .invalidSettings
        default:
            if RetryPolicy.isRetryable(status: s3.httpStatus, code: s3.code) {
                code = .unavailable
            } else if s3.httpStatus == 403 {
                code = .accessDenied
            } else {
                code = .rejected
            }
        }
        return DeliveryError(code, s3.message, underlying: s3)
    }
}
