import Catalog

/// The request values a condition can see on Sluice's uploads, and a small evaluator for the condition
/// operators bucket policies use to enforce encryption.
struct UploadContext {
    /// Lower-cased condition key → value the upload sends (absent keys are not sent).
    let values: [String: String]

    static let sseKey = "s3:x-amz-server-side-encryption"
    static let kmsKeyKey = "s3:x-amz-server-side-encryption-aws-kms-key-id"

    init(encryption: DestinationEncryption) {
        switch encryption {
        case .aes256: values = [Self.sseKey: "AES256"]
        case .bucketDefault: values = [:]
        case .kms(let keyID): values = [Self.sseKey: "aws:kms", Self.kmsKeyKey: keyID]
        }
    }

    /// Whether every condition holds for this upload; nil when one uses a key or operator this cannot judge.
    func evaluate(_ conditions: [String: [String: [String]]]) -> Bool? {
        var result: Bool? = true
        for (op, keys) in conditions {
            for (key, expected) in keys {
                guard key == Self.sseKey || key == Self.kmsKeyKey else { return nil }
                switch Self.evaluate(op: op, value: values[key], expected: expected) {
                case .some(false): return false
                case .none: result = nil
                case .some(true): break
                }
            }
        }
        return result
    }

    static func evaluate(op: String, value: String?, expected: [String]) -> Bool? {
        if op == "Null" {
            guard let flag = expected.first?.lowercased() else { return nil }
            return (value == nil) == (flag == "true")
        }
        let ifExists = op.hasSuffix("IfExists")
        let base = ifExists ? String(op.dropLast("IfExists".count)) : op
        let negated = base.hasPrefix("StringNot")
        guard base.hasPrefix("String") else { return nil }
        // AWS: an absent key makes ...IfExists and negated operators true, and positive operators false.
        guard let value else { return ifExists || negated }
        let ignoreCase = base.hasSuffix("IgnoreCase")
        let like = base.hasSuffix("Like")
        let matched = expected.contains { pattern in
            if like { return Glob.matches(pattern, value) }
            return ignoreCase ? pattern.lowercased() == value.lowercased() : pattern == value
        }
        return negated ? !matched : matched
    }
}
