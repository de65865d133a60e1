extension S3Error {
    /// Builds the error for an S3 error response, adding advice for the codes a Sluice operator can fix.
    static func fromResponse(
        code: Code, serverMessage: String?, httpStatus: Int, bucket: String?, key: String?, requestID: String?,
        operation: String, region: String?
    ) -> S3Error {
        let target = [bucket, key].compactMap { $0 }.joined(separator: "/")
        let said = serverMessage.map { " S3 said: \($0)" } ?? ""
        let advice: String
        switch code {
        case .accessDenied
        where operation == "PutObject" || operation == "CreateMultipartUpload"
            || operation == "UploadPart" || operation == "CompleteMultipartUpload":
            advice =
                "Access denied writing s3://\(target). The bucket policy (or the IAM policy of these credentials) "
                + "must allow s3:PutObject on arn:aws:s3:::\(bucket ?? "BUCKET")/* for this principal, and any "
                + "encryption condition in it must match the server-side encryption configured for the destination."
        case .accessDenied:
            advice =
                "Access denied for \(operation) on s3://\(target). Grant the matching s3: action to these "
                + "credentials in the IAM or bucket policy."
        case .signatureDoesNotMatch:
            advice =
                "S3 computed a different signature: the secret access key does not belong to this access key id, "
                + "or a proxy rewrote the request (Host header, path encoding). Check the configured secret."
        case .invalidAccessKeyID:
            advice =
                "The access key id is not known to this S3 endpoint. Check the credentials source and that the "
                + "endpoint matches the account the key was created in."
        case .noSuchBucket:
            advice = "Bucket \(bucket ?? "?") does not exist at this endpoint. Check the bucket name and endpoint."
        case .noSuchKey:
            advice = "Object s3://\(target) does not exist."
        case .expiredToken, .invalidToken:
            advice = "The session token has expired or is invalid; the credentials provider must refresh it."
        case .badDigest, .invalidDigest:
            advice = "The body did not match its Content-MD5; the data was corrupted in transit. Retry the upload."
        case .permanentRedirect, .authorizationHeaderMalformed:
            advice =
                "Bucket \(bucket ?? "?") is in another region\(region.map { " (\($0))" } ?? ""). Leave the "
                + "region unset so it is discovered, or configure the bucket's region."
        case .slowDown, .throttling:
            advice = "S3 is throttling requests; retries were exhausted. Reduce upload concurrency."
        case .preconditionFailed:
            advice = "s3://\(target) already exists (conditional write refused)."
        default:
            advice = "\(operation) on s3://\(target) failed with HTTP \(httpStatus)."
        }
        return S3Error(
            code: code, httpStatus: httpStatus, bucket: bucket, key: key, requestID: requestID,
            message: advice + said, operation: operation)
    }

    /// Codes for answers without a body (HEAD requests).
    static func codeForBodylessStatus(_ status: Int, hasKey: Bool) -> Code {
        switch status {
        case 301: return .permanentRedirect
        case 400: return .invalidRequest
        case 403: return .accessDenied
        case 404: return hasKey ? .noSuchKey : .noSuchBucket
        case 412: return .preconditionFailed
        case 500: return .internalError
        case 503: return .slowDown
        default: return Code("HTTP\(status)")
        }
    }
}
