/// Server-side encryption requested for an upload.
public enum ServerSideEncryption: Sendable, Hashable {
    /// No header: the bucket's default applies.
    case none
    /// SSE-S3: `x-amz-server-side-encryption: AES256`.
    case aes256
    /// SSE-KMS with an optional key id or ARN (nil means the account's `aws/s3` key) and the S3 Bucket Key flag.
    case kms(keyID: String?, bucketKey: Bool)

    var headers: [(String, String)] {
        switch self {
        case .none:
            return []
        case .aes256:
            return [("x-amz-server-side-encryption", "AES256")]
        case .kms(let keyID, let bucketKey):
            var headers = [("x-amz-server-side-encryption", "aws:kms")]
            if let keyID { headers.append(("x-amz-server-side-encryption-aws-kms-key-id", keyID)) }
            if bucketKey { headers.append(("x-amz-server-side-encryption-bucket-key-enabled", "true")) }
            return headers
        }
    }
}

/// How the `Content-MD5` header of an upload is set.
public enum ContentMD5: Sendable, Hashable {
    /// Computed from the body, so S3 rejects a body damaged in transit with `BadDigest` (the default).
    case computed
    /// Not sent.
    case omitted
    /// This base64 digest is sent as given.
    case provided(String)
}

/// What S3 reported after storing an object.
public struct PutObjectResult: Sendable, Hashable {
    /// The ETag with its quotes removed (`"…-N"` for multipart uploads; may be empty on some servers).
    public var eTag: String
    public var versionID: String?
    /// The encryption S3 echoed (`AES256`, `aws:kms`), if any.
    public var serverSideEncryption: String?
    public var kmsKeyID: String?
    /// Parts used, or nil for a single PutObject.
    public var partCount: Int?
}

/// An object's metadata from HeadObject or GetObject.
public struct ObjectInfo: Sendable, Hashable {
    public var contentLength: Int64
    public var eTag: String
    public var contentType: String?
    public var contentEncoding: String?
    public var lastModified: String?
    public var serverSideEncryption: String?
    public var kmsKeyID: String?
    public var versionID: String?
    /// `x-amz-meta-*` values, keyed by the name after the prefix (lower case).
    public var metadata: [String: String]
}
