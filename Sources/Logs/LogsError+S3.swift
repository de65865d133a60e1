import S3

extension LogsError {
    /// Runs `body`, turning an `S3Error` into a `LogsError` that says what to do.
    static func catching<T>(bucket: String? = nil, _ body: () async throws -> T) async throws(LogsError) -> T {
        do {
            return try await body()
        } catch let error as LogsError {
            throw error
        } catch let error as S3Error {
            throw from(error, bucket: bucket)
        } catch {
            throw LogsError(.storeFailed, "\(error)", underlying: error)
        }
    }

    /// The user-facing error for an S3 failure.
    static func from(_ error: S3Error, bucket: String?) -> LogsError {
        let name = error.bucket ?? bucket ?? "?"
        switch error.code {
        case .accessDenied, .kmsAccessDenied:
            let action =
                error.operation == "GetObject"
                ? "s3:GetObject on arn:aws:s3:::\(name)/*"
                : "s3:ListBucket on arn:aws:s3:::\(name)"
            return LogsError(
                .accessDenied,
                "Access denied (\(error.operation ?? "request") on s3://\(name)). These credentials need \(action) "
                    + "(reading logs takes s3:ListBucket on the bucket and s3:GetObject on its objects, plus "
                    + "kms:Decrypt for SSE-KMS objects).", underlying: error)
        case .noSuchBucket:
            return LogsError(
                .bucketNotFound, "Bucket \(name) does not exist at this endpoint. Check --bucket and --endpoint.",
                underlying: error)
        case .permanentRedirect, .authorizationHeaderMalformed:
            return LogsError(
                .wrongRegion,
                "Bucket \(name) is not in the region given with --region. Leave --region out: the bucket's "
                    + "region is discovered. (\(error.message))", underlying: error)
        case .invalidAccessKeyID, .signatureDoesNotMatch, .credentialsNotFound, .expiredToken, .invalidToken:
            return LogsError(.credentials, error.message, underlying: error)
        default:
            return LogsError(.storeFailed, error.message, underlying: error)
        }
    }
}
