import Catalog
import Delivery
import Foundation
import S3
import SluiceTesting
import Testing

/// The seed's bucket policy, applied verbatim on radosgw, which really evaluates its conditions.
@Suite(.serialized, .enabled(if: RadosGateway.isInstalled && AWSCLI.isInstalled)) struct CephDeliveryTests {
    /// How a bucket policy names the launcher's copy user (uid `s3-copy`) on radosgw: no account id.
    static let copyPrincipal = "arn:aws:iam:::user/s3-copy"

    @Test func underTheSeedPolicySSEOffFailsWithTheFixAndSSEOnDeliversEverythingOnce() async throws {
        let rgw = try await RadosGateway.start()
        defer { rgw.stop() }
        try await StagedFixture.with(files: 8) { fixture in
            let owner = AWSCredentials(
                accessKeyID: RadosGateway.owner.accessKeyID, secretAccessKey: RadosGateway.owner.secretAccessKey)
            let copier = AWSCredentials(
                accessKeyID: RadosGateway.writer.accessKeyID, secretAccessKey: RadosGateway.writer.secretAccessKey)
            let harness = S3Harness(fixture: fixture, endpoint: rgw.endpoint, principal: copier)
            let ownerClient = try harness.client(owner)
            try await ownerClient.createBucket("seg-policy")
            let policy = seedPolicy(bucket: "seg-policy", principal: Self.copyPrincipal)
            let policyFile = fixture.dir.path + "/policy.json"
            try policy.write(toFile: policyFile, atomically: true, encoding: .utf8)
            let cli = AWSCLI(
                endpoint: rgw.endpoint, accessKeyID: owner.accessKeyID, secretAccessKey: owner.secretAccessKey)
            try cli.run(["s3api", "put-bucket-policy", "--bucket", "seg-policy", "--policy", "file://" + policyFile])

            // SSE off: the policy's Deny statements refuse every upload. The validation write says so...
            // radosgw sends no x-amz-bucket-region and the copier may not GetBucketLocation: the region is set.
            var destination = try await harness.addDestination(
                "seg-policy", encryption: .bucketDefault, region: "us-east-1")
            let validator = DestinationValidator(connector: harness.connector)
            do {
                _ = try await validator.validate(try DestinationTarget(destination))
                Issue.record("the validation write passed with SSE off under an encryption-enforcing policy")
            } catch let error as DeliveryError {
                #expect(error.code == .accessDenied && Self.operation(error) == "PutObject")
                #expect(error.message.contains("validation write") && error.message.contains("--sse aes256"))
            }
            // ...and so does the copy, which loses nothing.
            let refused = try await harness.runner(attempts: 2).run()
            let failure = try #require(refused.failed.first)
            #expect(refused.deliveredFiles == 0 && failure.pendingFiles == 8)
            #expect(Self.operation(failure.error) == "PutObject")  // refused by the policy, not by anything earlier
            let message = try #require(failure.error?.message)
            #expect(
                message.contains("DenyUnEncryptedObjectUploads")
                    && message.contains("sluice destinations update \(destination.id) --sse aes256"))
            #expect(try await fixture.catalog.destinationState(id: destination.id)?.lastError == message)
            #expect(try await ownerClient.listAllObjects(bucket: "seg-policy").objects.isEmpty)
            #expect(try await fixture.staging.stagedObjects().count == 8)
            #expect(try await fixture.catalog.deliveredKeys(destinationID: destination.id).isEmpty)
            // `sluice policy check` finds the same problem in the policy text.
            let findings = try BucketPolicy.check(
                policy: policy, address: .parse("seg-policy"), principal: Self.copyPrincipal,
                encryption: .bucketDefault)
            #expect(findings.count == 2 && findings.allSatisfy { $0.severity == .error })

            // SSE on: the validation write passes (the principal may not delete, so the object stays)...
            destination.encryption = .aes256
            try await fixture.catalog.updateDestination(destination)
            let checked = try await validator.validate(try DestinationTarget(destination))
            #expect(!checked.deleted)
            // ...and the next run delivers every staged file exactly once, byte for byte.
            let report = try await harness.runner().run()
            #expect(report.deliveredFiles == 8 && report.failed.isEmpty)
            try await ownerClient.deleteObject(
                bucket: "seg-policy", key: DestinationValidator.key(for: try DestinationTarget(destination)))
            try await harness.expectExactlyOnce(bucket: "seg-policy", client: ownerClient, reader: harness.client())
            #expect(try await harness.runner().run().deliveredFiles == 0)
            try await harness.expectExactlyOnce(bucket: "seg-policy", client: ownerClient, reader: harness.client())
            #expect(try await fixture.catalog.destinationState(id: destination.id)?.consecutiveFailures == 0)
        }
    }

    /// The S3 operation under a delivery error.
    static func operation(_ error: DeliveryError?) -> String? {
        var current: (any Error)? = error
        while let next = current {
            if let s3 = next as? S3Error { return s3.operation }
            current = (next as? DeliveryError)?.underlying
        }
        return nil
    }
}
