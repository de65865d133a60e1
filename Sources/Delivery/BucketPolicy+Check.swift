import Catalog
import Foundation

/// One problem `BucketPolicy.check` found, with what to change.
public struct PolicyFinding: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        /// Copies will fail until this is changed.
        case error
        /// Worth a look; copies may still work.
        case warning
    }

    public let severity: Severity
    public let message: String

    public var description: String { "\(severity.rawValue): \(message)" }
}

extension BucketPolicy {
    /// Lints a bucket policy a customer already has against a destination: the Allow for Sluice's principal on
    /// `{prefix}/segment-logs/*` (with the `/*`), and Deny statements that would refuse Sluice's uploads given the
    /// destination's encryption setting. Empty means every copy would be allowed.
    ///
    /// ```swift
    /// let findings = try BucketPolicy.check(policy: text, address: .parse("mybucket"),
    ///                                       principal: "arn:aws:iam::123456789012:user/sluice-copy",
    ///                                       encryption: .bucketDefault)
    /// ```
    public static func check(
        policy text: String, address: BucketAddress, principal: String?, encryption: DestinationEncryption
    ) throws(DeliveryError) -> [PolicyFinding] {
        let statements = try parse(text)
        let wanted = "arn:aws:s3:::\(address.bucket)/\(address.segmentLogsPrefix)*"
        let sample = "arn:aws:s3:::\(address.bucket)/\(address.segmentLogsPrefix)source/1700006400000/batch.gz"
        let upload = UploadContext(encryption: encryption)
        let who = principal ?? "Sluice's principal"
        var findings: [PolicyFinding] = []
        func error(_ message: String) { findings.append(PolicyFinding(severity: .error, message: message)) }

        let allows = statements.filter { $0.allows && $0.covers(action: "s3:PutObject") }
        let granted = allows.filter {
            $0.names(principal: principal) && $0.covers(resource: sample) && upload.evaluate($0.conditions) != false
        }
        if granted.isEmpty {
            let before = findings.count
            for statement in allows where statement.names(principal: principal) {
                for resource in statement.resources where !statement.covers(resource: sample) {
                    if resource == wanted.dropLast() || resource == wanted.dropLast(2) {
                        error(
                            "statement \(statement.name): Resource \"\(resource)\" must end with /*; change it to \"\(wanted)\""
                        )
                    } else {
                        error(
                            "statement \(statement.name) grants \(who) s3:PutObject on \"\(resource)\", which does not cover \"\(wanted)\"; change the Resource to \"\(wanted)\""
                        )
                    }
                }
            }
            for statement in allows where !statement.names(principal: principal) && statement.covers(resource: sample) {
                let named = (statement.principals ?? []).joined(separator: ", ")
                error(
                    "statement \(statement.name) allows \(named), which is not Sluice's principal; set its Principal to {\"AWS\": \"\(who)\"}"
                )
            }
            if findings.count == before {
                error(
                    "no statement allows \(who) s3:PutObject on \"\(wanted)\"; add: "
                        + render(allowStatement(address, principal: who)))
            }
        }

        let denies = statements.filter {
            !$0.allows && $0.covers(action: "s3:PutObject") && $0.covers(resource: sample)
                && ($0.principals == nil || $0.names(principal: principal))
        }
        for statement in denies {
            switch upload.evaluate(statement.conditions) {
            case .some(true):
                error(denialAdvice(statement, encryption: encryption))
            case .none:
                findings.append(
                    PolicyFinding(
                        severity: .warning,
                        message:
                            "statement \(statement.name) denies s3:PutObject under conditions Sluice cannot evaluate; make sure they allow its uploads"
                    ))
            case .some(false):
                break
            }
        }
        return findings
    }

    static func denialAdvice(_ statement: PolicyStatement, encryption: DestinationEncryption) -> String {
        let aboutSSE = statement.conditions.values.contains { $0.keys.contains(UploadContext.sseKey) }
        guard aboutSSE else {
            return
                "statement \(statement.name) denies every copy (s3:PutObject on segment-logs/); remove it or narrow it"
        }
        let required = statement.conditions.values.compactMap { $0[UploadContext.sseKey] }.flatMap { $0 }
            .filter { $0.lowercased() != "true" && $0.lowercased() != "false" }
        let header = required.first ?? "AES256"
        switch encryption {
        case .bucketDefault:
            return
                "statement \(statement.name) enforces encryption (x-amz-server-side-encryption: \(header)) but this destination's server-side encryption is off, so every copy would be denied. Turn it on (`sluice destinations update ID --sse \(header == "aws:kms" ? "kms:KEY" : "aes256")`), or remove the statement if the bucket's default encryption is SSE-KMS"
        case .aes256, .kms:
            return
                "statement \(statement.name) requires x-amz-server-side-encryption: \(header), but this destination sends \(encryption.storedValue); set `--sse \(header == "aws:kms" ? "kms:KEY" : "aes256")` or change the statement"
        }
    }

    static func parse(_ text: String) throws(DeliveryError) -> [PolicyStatement] {
        let json = try? JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let document = json as? [String: Any], let raw = document["Statement"] else {
            throw DeliveryError(
                .invalidPolicy,
                "the policy is not a JSON object with a \"Statement\"; pass the bucket policy document as AWS shows it")
        }
        let list = (raw as? [Any]) ?? [raw]
        let statements = list.compactMap(PolicyStatement.init)
        guard statements.count == list.count else {
            throw DeliveryError(
                .invalidPolicy,
                "a statement of the policy has no \"Effect\"; every statement needs \"Effect\": \"Allow\" or \"Deny\"")
        }
        return statements
    }
}
