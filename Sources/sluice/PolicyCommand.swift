import ArgumentParser
import Delivery
import Foundation

struct Policy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the bucket policy a destination needs, or check one you already have.",
        subcommands: [Print.self, Check.self]
    )

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Print the bucket policy (and with --kms the KMS key policy) granting Sluice's principal s3:PutObject on segment-logs/*."
        )
        @Option(help: "The destination's bucket string: mybucket or mybucket/path/prefix.") var bucket: String
        @Option(help: "Sluice's principal ARN (`aws sts get-caller-identity` where Sluice runs).") var principal: String
        @Flag(
            name: .customLong("enforce-encryption"),
            help: "Add Deny statements refusing uploads without server-side encryption.")
        var enforceEncryption = false
        @Flag(help: "The bucket's default encryption is SSE-KMS: also print the KMS key policy (kms:GenerateDataKey).")
        var kms = false

        func run() async throws {
            let address = try BucketAddress.parse(bucket)
            print("# Bucket policy for \(address.bucket) (S3 console: Permissions > Bucket policy)")
            print(
                try BucketPolicy.bucketPolicy(
                    for: address, principal: principal, enforceEncryption: enforceEncryption, kms: kms))
            if kms {
                print("\n# KMS key policy statement for the bucket's customer-managed key")
                print(try BucketPolicy.kmsKeyPolicy(principal: principal))
                print(
                    enforceEncryption
                        ? "\n# The destination must send aws:kms: `sluice destinations update ID --sse kms:KEY-ID`"
                        : "\n# Leave the destination's SSE off (`--sse none`) so the bucket's default SSE-KMS applies")
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Lint a bucket policy: the /* on the Resource, the principal, and Deny statements that would refuse every copy."
        )
        @Argument(
            help:
                "The policy JSON file (`aws s3api get-bucket-policy --bucket B --query Policy --output text > p.json`)."
        )
        var file: String
        @Option(help: "The destination's bucket string: mybucket or mybucket/path/prefix.") var bucket: String
        @Option(help: "Sluice's principal ARN; omitted, any principal granted counts.") var principal: String?
        @Option(help: "The destination's server-side encryption: aes256, none or kms:KEY-ID.") var sse = "aes256"

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            let findings = try BucketPolicy.check(
                policy: String(decoding: data, as: UTF8.self), address: BucketAddress.parse(bucket),
                principal: principal, encryption: DestinationSettings.encryption(sse))
            if findings.isEmpty {
                print("ok: the policy lets Sluice copy into \(bucket) with SSE \(sse)")
                return
            }
            for finding in findings { print(finding) }
            if findings.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
        }
    }
}
