import Catalog
import Delivery
import Foundation
import Testing

@Suite struct BucketPolicyTests {
    let principal = "arn:aws:iam::123456789012:user/sluice-copy"

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func printsTheAllowWithResourceEndingInSlashStar() throws {
        let text = try BucketPolicy.bucketPolicy(for: .parse("mybucket/path/prefix"), principal: principal)
        let statements = try #require(try json(text)["Statement"] as? [[String: Any]])
        #expect(statements.count == 1)
        #expect(statements[0]["Resource"] as? String == "arn:aws:s3:::mybucket/path/prefix/segment-logs/*")
        #expect(statements[0]["Action"] as? String == "s3:PutObject")
        #expect((statements[0]["Principal"] as? [String: String])?["AWS"] == principal)
        #expect(text.contains("\"arn:aws:s3:::mybucket/path/prefix/segment-logs/*\""))  // slashes not escaped
    }

    @Test func enforcingEncryptionAddsBothDenyStatements() throws {
        let text = try BucketPolicy.bucketPolicy(for: .parse("mybucket"), principal: principal, enforceEncryption: true)
        let statements = try #require(try json(text)["Statement"] as? [[String: Any]])
        #expect(
            statements.compactMap { $0["Sid"] as? String }
                == ["AllowSluiceCopy", "DenyIncorrectEncryptionHeader", "DenyUnEncryptedObjectUploads"])
        #expect(statements[1]["Resource"] as? String == "arn:aws:s3:::mybucket/*")
        // What it prints passes its own check with SSE on, and fails with SSE off.
        let address = try BucketAddress.parse("mybucket")
        #expect(
            try BucketPolicy.check(policy: text, address: address, principal: principal, encryption: .aes256).isEmpty)
        #expect(
            !(try BucketPolicy.check(policy: text, address: address, principal: principal, encryption: .bucketDefault))
                .isEmpty)
    }

    @Test func kmsKeyPolicyGrantsGenerateDataKey() throws {
        let statements = try #require(
            try json(try BucketPolicy.kmsKeyPolicy(principal: principal))["Statement"] as? [[String: Any]])
        #expect(statements.first?["Action"] as? String == "kms:GenerateDataKey")
        #expect(statements.first?["Resource"] as? String == "*")
    }

    @Test func rejectsAPrincipalThatIsNotAnARN() {
        #expect(throws: DeliveryError.self) {
            try BucketPolicy.bucketPolicy(for: .parse("mybucket"), principal: "s3-copy")
        }
    }

    @Test func theSeedPolicyPassesWithEncryptionOn() throws {
        let policy = seedPolicy(bucket: "mybucket", principal: principal)
        #expect(
            try BucketPolicy.check(
                policy: policy, address: .parse("mybucket"), principal: principal, encryption: .aes256
            ).isEmpty)
    }

    @Test func theSeedPolicyWithEncryptionOffIsFlaggedWithTheFix() throws {
        let policy = seedPolicy(bucket: "mybucket", principal: principal)
        let findings = try BucketPolicy.check(
            policy: policy, address: .parse("mybucket"), principal: principal, encryption: .bucketDefault)
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { $0.severity == .error && $0.message.contains("--sse aes256") })
        #expect(findings.contains { $0.message.contains("DenyUnEncryptedObjectUploads") })
        #expect(findings.contains { $0.message.contains("DenyIncorrectEncryptionHeader") })
    }

    @Test func aKMSHeaderIsDeniedByTheAES256Policy() throws {
        let policy = seedPolicy(bucket: "mybucket", principal: principal)
        let findings = try BucketPolicy.check(
            policy: policy, address: .parse("mybucket"), principal: principal, encryption: .kms(keyID: "k1"))
        #expect(
            findings.map(\.message).contains { $0.contains("DenyIncorrectEncryptionHeader") && $0.contains("AES256") })
    }

    @Test func aResourceWithoutSlashStarIsFlagged() throws {
        let policy = seedPolicy(bucket: "mybucket", principal: principal, enforceEncryption: false)
            .replacingOccurrences(of: "segment-logs/*", with: "segment-logs")
        let findings = try BucketPolicy.check(
            policy: policy, address: .parse("mybucket"), principal: principal, encryption: .aes256)
        #expect(findings.count == 1)
        #expect(findings[0].message.contains("must end with /*"))
        #expect(findings[0].message.contains("arn:aws:s3:::mybucket/segment-logs/*"))
    }

    @Test func anotherPrincipalIsFlagged() throws {
        let policy = seedPolicy(
            bucket: "mybucket", principal: "arn:aws:iam::107630771604:user/s3-copy", enforceEncryption: false)
        let findings = try BucketPolicy.check(
            policy: policy, address: .parse("mybucket"), principal: principal, encryption: .aes256)
        #expect(findings.count == 1)
        #expect(findings[0].message.contains("not Sluice's principal"))
        #expect(findings[0].message.contains(principal))
    }

    @Test func aPolicyForAnotherPrefixIsFlagged() throws {
        let policy = seedPolicy(bucket: "mybucket", principal: principal, enforceEncryption: false)
        let findings = try BucketPolicy.check(
            policy: policy, address: .parse("mybucket/path"), principal: principal, encryption: .aes256)
        #expect(findings.count == 1)
        #expect(findings[0].message.contains("arn:aws:s3:::mybucket/path/segment-logs/*"))
    }

    @Test func wildcardsAndAccountRootsAreUnderstood() throws {
        let policy = """
            {"Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]},
             "Action": ["s3:Put*", "s3:GetObject"], "Resource": "arn:aws:s3:::mybucket/*"}}
            """
        #expect(
            try BucketPolicy.check(
                policy: policy, address: .parse("mybucket/p"), principal: principal, encryption: .aes256
            ).isEmpty)
    }

    @Test func aMissingAllowSaysWhatToAdd() throws {
        let findings = try BucketPolicy.check(
            policy: #"{"Statement": []}"#, address: .parse("mybucket"), principal: principal, encryption: .aes256)
        #expect(findings.count == 1)
        #expect(findings[0].message.contains("add:"))
    }

    @Test func unknownDenyConditionsAreWarnings() throws {
        let policy = """
            {"Statement": [
              {"Effect": "Allow", "Principal": {"AWS": "\(principal)"}, "Action": "s3:PutObject",
               "Resource": "arn:aws:s3:::mybucket/segment-logs/*"},
              {"Sid": "TLSOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::mybucket/*",
               "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
            """
        let findings = try BucketPolicy.check(
            policy: policy, address: .parse("mybucket"), principal: principal, encryption: .aes256)
        #expect(findings.map(\.severity) == [.warning])
        #expect(findings.first?.message.contains("'TLSOnly'") == true)
    }

    @Test(arguments: ["not json", "[]", #"{"Statement": [{"Action": "s3:PutObject"}]}"#])
    func unreadablePoliciesAreErrors(text: String) {
        #expect(throws: DeliveryError.self) {
            try BucketPolicy.check(policy: text, address: .parse("mybucket"), principal: nil, encryption: .aes256)
        }
    }
}
