import AsyncHTTPClient
import Foundation
import Logging
import S3
import SluiceTesting
import Testing

/// Role profiles of `~/.aws/config` through Sluice's default credentials chain, against moto's STS and S3 with
/// authentication on: the chain assumes the role, caches the temporary credentials, and writes with them.
@Suite(.moto, .timeLimit(.minutes(5)))
struct MotoRoleProfileTests {
    /// Writes a config file and returns the environment the chain reads.
    static func environment(_ config: String, in directory: TemporaryDirectory, extra: [String: String] = [:])
        throws -> [String: String]
    {
        try config.write(toFile: directory.path + "/config", atomically: true, encoding: .utf8)
        let moto = try MotoContext.require()
        return [
            "HOME": "/nonexistent", "AWS_CONFIG_FILE": directory.path + "/config",
            "AWS_SHARED_CREDENTIALS_FILE": directory.path + "/credentials", "AWS_PROFILE": "destination",
            "AWS_ENDPOINT_URL_STS": moto.server.endpoint,
        ].merging(extra) { $1 }
    }

    @Test func aSourceProfileRoleIsAssumedCachedAndWorks() async throws {
        let moto = try MotoContext.require()
        let directory = try TemporaryDirectory("aws-role")
        defer { directory.remove() }
        let environment = try Self.environment(
            """
            [profile destination]
            role_arn = \(moto.roleARN)
            source_profile = base
            external_id = \(MotoContext.externalID)
            role_session_name = sluice-test
            duration_seconds = 1800
            [profile base]
            aws_access_key_id = \(moto.user.accessKeyID)
            aws_secret_access_key = \(moto.user.secretAccessKey)
            """, in: directory)
        let records = LogRecords()
        var logger = Logger(label: "test.s3") { _ in RecordingLogHandler(records: records) }
        logger.logLevel = .trace
        let chain = CredentialsProviderChain.default(environment: environment, httpClient: testHTTPClient)
        let first = try await chain.credentials(logger: logger)
        #expect(first.sessionToken != nil)
        #expect(first.accessKeyID != moto.user.accessKeyID)
        #expect(try #require(first.expiration) > Date())
        // Cached: a second call gets the same temporary keys (moto issues new ones for every AssumeRole).
        #expect(try await chain.credentials(logger: logger).accessKeyID == first.accessKeyID)

        let s3 = try moto.client(credentials: chain, logger: logger)
        let bucket = uniqueName("profile-role")
        try await s3.createBucket(bucket)
        try await s3.putObject(bucket: bucket, key: "via-profile", body: [1, 2, 3])
        #expect(try await s3.headObject(bucket: bucket, key: "via-profile").contentLength == 3)
        let logged = records.all.joined(separator: "\n")
        #expect(!records.all.isEmpty)
        #expect(!logged.contains(moto.user.secretAccessKey))
        #expect(!logged.contains(first.secretAccessKey))
    }

    @Test func anEnvironmentCredentialSourceSignsTheAssumeRole() async throws {
        let moto = try MotoContext.require()
        let directory = try TemporaryDirectory("aws-role")
        defer { directory.remove() }
        let environment = try Self.environment(
            """
            [profile destination]
            role_arn = \(moto.roleARN)
            credential_source = Environment
            external_id = \(MotoContext.externalID)
            """, in: directory,
            extra: ["AWS_ACCESS_KEY_ID": moto.user.accessKeyID, "AWS_SECRET_ACCESS_KEY": moto.user.secretAccessKey])
        // The environment provider comes first in the chain, so call the profile provider itself.
        let provider = ProfileCredentialsProvider(environment: environment, httpClient: testHTTPClient)
        let temporary = try await provider.credentials(logger: Logger(label: "test"))
        #expect(temporary.sessionToken != nil)
        #expect(temporary.accessKeyID != moto.user.accessKeyID)
        let s3 = try moto.client(credentials: StaticCredentialsProvider(temporary))
        let bucket = uniqueName("source-env")
        try await s3.createBucket(bucket)
        try await s3.putObject(bucket: bucket, key: "k", body: [9])
        #expect(try await s3.headObject(bucket: bucket, key: "k").contentLength == 1)
    }

    @Test func aSourceProfileWithAWrongSecretFailsTheAssumeRole() async throws {
        let moto = try MotoContext.require()
        let directory = try TemporaryDirectory("aws-role")
        defer { directory.remove() }
        let environment = try Self.environment(
            """
            [profile destination]
            role_arn = \(moto.roleARN)
            source_profile = destination
            aws_access_key_id = \(moto.user.accessKeyID)
            aws_secret_access_key = wrong-\(moto.user.secretAccessKey)
            """, in: directory)
        let provider = ProfileCredentialsProvider(environment: environment, httpClient: testHTTPClient)
        let error = await #expect(throws: S3Error.self) { try await provider.credentials(logger: Logger(label: "t")) }
        #expect(error?.operation == "AssumeRole")
        #expect(error?.code == .signatureDoesNotMatch)
        #expect(error.map { "\($0)" }?.contains(moto.user.secretAccessKey) == false)
    }
}
