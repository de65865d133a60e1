import Catalog

/// Turns what a bucket answered into what the user should change. Pure.
public enum DeliveryAdvice {
    /// The message for a refused upload to `key`, given the destination's settings.
    public static func explain(_ error: DeliveryError, target: DestinationTarget, key: String) -> DeliveryError {
        let d = target.destination
        switch error.code {
        case .accessDenied:
            let segmentLogs = "arn:aws:s3:::\(target.address.bucket)/\(target.address.segmentLogsPrefix)*"
            let message: String
            switch d.encryption {
            case .bucketDefault:
                message = """
                    the bucket refused the upload of \(target.url(key)) (AccessDenied). This destination has \
                    server-side encryption off, and a bucket policy that enforces encryption (Segment's \
                    DenyIncorrectEncryptionHeader / DenyUnEncryptedObjectUploads statements) denies every upload \
                    without x-amz-server-side-encryption: AES256. Fix: turn encryption on with \
                    `sluice destinations update \(d.id) --sse aes256` (or remove those Deny statements if the \
                    bucket's default encryption is SSE-KMS). Otherwise the policy must allow s3:PutObject on \
                    \(segmentLogs): `sluice policy check FILE --bucket \(target.address)` shows what to change. \
                    Nothing is lost: the files stay staged and the next run copies them
                    """
            case .aes256, .kms:
                message = """
                    the bucket refused the upload of \(target.url(key)) (AccessDenied). The bucket policy must \
                    allow Sluice's principal (\(d.access.redacted)) s3:PutObject on \(segmentLogs), with the \
                    Resource ending in /*\(kmsHint(d.encryption)). Print the policy to apply with \
                    `sluice policy print --bucket \(target.address) --principal ARN`, or lint yours with \
                    `sluice policy check FILE --bucket \(target.address)`. Nothing is lost: the files stay staged \
                    and the next run copies them
                    """
            }
            return DeliveryError(.accessDenied, message, underlying: error)
        case .noSuchBucket:
            return DeliveryError(
                .noSuchBucket,
                "bucket '\(target.address.bucket)' does not exist\(d.endpoint.map { " at \($0)" } ?? ""); create it or fix the destination with `sluice destinations update \(d.id) --bucket ...`",
                underlying: error)
        default:
            return error
        }
    }

    static func kmsHint(_ encryption: DestinationEncryption) -> String {
        guard case .kms(let keyID) = encryption else { return "" }
        return ", and the KMS key policy of \(keyID) must allow it kms:GenerateDataKey (`sluice policy print --kms`)"
    }
}
