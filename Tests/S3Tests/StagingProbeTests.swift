import Foundation
import S3
import SluiceTesting
import Testing

/// `sluice serve` proves at start that it may write the staging bucket (a probe object put, read back, deleted): with
/// credentials that may read the bucket but not write it, it stops with one line and exit code 2, naming what to
/// check and never the secret. moto with authentication and IAM policies on.
@Suite(.moto, .timeLimit(.minutes(3)))
struct StagingProbeTests {
    @Test func credentialsThatCannotWriteTheStagingBucketAreOneLineAndExitCodeTwo() async throws {
        let moto = try MotoContext.require()
        let bucket = uniqueName("stage")
        try await moto.client().createBucket(bucket)
        let iam = { (parameters: [(String, String)]) in
            try await AWSQuery.call(
                endpoint: moto.server.endpoint, service: "iam", credentials: moto.user,
                parameters + [("Version", "2010-05-08")])
        }
        let user = uniqueName("reader")
        _ = try await iam([("Action", "CreateUser"), ("UserName", user)])
        _ = try await iam([
            ("Action", "PutUserPolicy"), ("UserName", user), ("PolicyName", "read-only"),
            (
                "PolicyDocument",
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket","#
                    + #""s3:GetBucketLocation"],"Resource":"*"}]}"#
            ),
        ])
        let key = try await iam([("Action", "CreateAccessKey"), ("UserName", user)])
        let id = try #require(AWSQuery.element("AccessKeyId", in: key))
        let secret = try #require(AWSQuery.element("SecretAccessKey", in: key))

        let data = try TemporaryDirectory("staging-probe")
        defer { data.remove() }
        let result = try runCommand(
            SluiceServerProcess.binaryPath,
            [
                "serve", "--port", "\(try FreePort.allocate())", "--data-dir", data.path, "--staging",
                "s3://\(bucket)/stage", "--staging-endpoint", moto.server.endpoint, "--staging-region", "us-east-1",
            ], environment: ["AWS_ACCESS_KEY_ID": id, "AWS_SECRET_ACCESS_KEY": secret])
        #expect(result.status == 2, "\(result.output)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1, "\(result.output)")
        #expect(lines.first?.contains("staging store") == true && lines.first?.contains("PutObject") == true)
        #expect(!result.output.contains(secret))
        // The same keys with write permission start a server: it was the permission, not the setup.
        _ = try await iam([
            ("Action", "PutUserPolicy"), ("UserName", user), ("PolicyName", "write"),
            (
                "PolicyDocument",
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],"#
                    + #""Resource":"*"}]}"#
            ),
        ])
        let server = try await SluiceServerProcess.start(
            dataDirectory: data.path,
            arguments: [
                "--staging", "s3://\(bucket)/stage", "--staging-endpoint", moto.server.endpoint, "--staging-region",
                "us-east-1",
            ], environment: ["AWS_ACCESS_KEY_ID": id, "AWS_SECRET_ACCESS_KEY": secret])
        server.stop()
    }
}
