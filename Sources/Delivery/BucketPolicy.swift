import Foundation

/// The policies a customer applies so that Sluice's principal may copy into their bucket, and a linter for the
/// policies they already have. Pure (Foundation's JSON, off the hot path).
///
/// ```swift
/// let text = try BucketPolicy.bucketPolicy(
///     for: .parse("mybucket/path"), principal: "arn:aws:iam::123456789012:user/sluice-copy", enforceEncryption: true)
/// ```
public enum BucketPolicy {
    /// The principal's grant: `s3:PutObject` on `{prefix}/segment-logs/*` and nothing else.
    static func allowStatement(_ address: BucketAddress, principal: String) -> [String: Any] {
        [
            "Sid": "AllowSluiceCopy", "Effect": "Allow", "Principal": ["AWS": principal], "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::\(address.bucket)/\(address.segmentLogsPrefix)*",
        ]
    }

    /// The bucket policy to apply: the Allow, plus (with `enforceEncryption`) the two Deny statements of
    /// Segment's guide that refuse any upload without `x-amz-server-side-encryption: AES256`. With `kms` and
    /// `enforceEncryption`, the Deny statements require `aws:kms` instead, so the destination must send it
    /// (`--sse kms:KEY`); without `enforceEncryption`, the bucket's default encryption does the encrypting and the
    /// destination's SSE stays off.
    public static func bucketPolicy(
        for address: BucketAddress, principal: String, enforceEncryption: Bool = false, kms: Bool = false
    ) throws(DeliveryError) -> String {
        try validatePrincipal(principal)
        var statements: [[String: Any]] = [allowStatement(address, principal: principal)]
        if enforceEncryption {
            let everything = "arn:aws:s3:::\(address.bucket)/*"
            statements.append([
                "Sid": "DenyIncorrectEncryptionHeader", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                "Resource": everything,
                "Condition": ["StringNotEquals": ["s3:x-amz-server-side-encryption": kms ? "aws:kms" : "AES256"]],
            ])
            statements.append([
                "Sid": "DenyUnEncryptedObjectUploads", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                "Resource": everything, "Condition": ["Null": ["s3:x-amz-server-side-encryption": "true"]],
            ])
        }
        return render(["Version": "2012-10-17", "Id": "SluiceCopyPolicy", "Statement": statements])
    }

    /// The KMS key policy statement set that lets the principal encrypt new objects with a customer-managed key
    /// (`kms:GenerateDataKey`), for buckets whose default encryption is SSE-KMS.
    public static func kmsKeyPolicy(principal: String) throws(DeliveryError) -> String {
        try validatePrincipal(principal)
        let statement: [String: Any] = [
            "Sid": "AllowSluiceGenerateDataKey", "Effect": "Allow", "Principal": ["AWS": principal],
            "Action": "kms:GenerateDataKey", "Resource": "*",
        ]
        return render(["Version": "2012-10-17", "Id": "SluiceKMSKeyPolicy", "Statement": [statement]])
    }

    static func validatePrincipal(_ principal: String) throws(DeliveryError) {
        guard principal.hasPrefix("arn:"), principal.split(separator: ":", omittingEmptySubsequences: false).count >= 6
        else {
            throw DeliveryError(
                .invalidSettings,
                "'\(principal.prefix(100))' is not an IAM principal ARN; pass Sluice's own user or role ARN, "
                    + "e.g. arn:aws:iam::123456789012:user/sluice-copy (see `aws sts get-caller-identity`)")
        }
    }

    static func render(_ object: [String: Any]) -> String {
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: options) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
