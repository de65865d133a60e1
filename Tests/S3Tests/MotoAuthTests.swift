import AsyncHTTPClient
import Foundation
import Logging
import S3
import SluiceTesting
import Testing

/// Signing, credentials and region discovery against moto with authentication on.
@Suite(.moto, .timeLimit(.minutes(5)))
struct MotoAuthTests {
    @Test func wrongSecretIsRejectedAndNeverPrinted() async throws {
        let moto = try MotoContext.require()
        let bucket = uniqueName("auth")
        try await moto.client().createBucket(bucket)
        let wrongSecret = "wrong-" + moto.user.secretAccessKey
        let records = LogRecords()
        var logger = Logger(label: "test.s3") { _ in RecordingLogHandler(records: records) }
        logger.logLevel = .trace
        let s3 = try moto.client(
            credentials: StaticCredentialsProvider(
                AWSCredentials(accessKeyID: moto.user.accessKeyID, secretAccessKey: wrongSecret)),
            logger: logger)
        let error = await #expect(throws: S3Error.self) {
            try await s3.putObject(bucket: bucket, key: "k", body: [1, 2, 3])
        }
        #expect(error?.code == .signatureDoesNotMatch)
        #expect(error?.httpStatus == 403)
        #expect(error?.bucket == bucket)
        #expect(error?.key == "k")
        #expect(error?.message.contains("secret") == true)
        let everything = "\(String(describing: error))" + records.all.joined(separator: "\n")
        #expect(!records.all.isEmpty)
        #expect(!everything.contains(wrongSecret))
        #expect(!everything.contains(moto.user.secretAccessKey))
    }

    @Test func unknownAccessKeyIsRejected() async throws {
        let moto = try MotoContext.require()
        let s3 = try moto.client(
            credentials: StaticCredentialsProvider(
                AWSCredentials(accessKeyID: "AKIANOTAREALKEY00000", secretAccessKey: "x")))
        let error = await #expect(throws: S3Error.self) { try await s3.headBucket(uniqueName("any")) }
        #expect(error?.code == .invalidAccessKeyID || error?.httpStatus == 403)
        let put = await #expect(throws: S3Error.self) {
            try await s3.putObject(bucket: uniqueName("any"), key: "k", body: [1])
        }
        #expect(put?.code == .invalidAccessKeyID)
    }

    @Test func regionIsDiscoveredWhenNotConfigured() async throws {
        let moto = try MotoContext.require()
        let bucket = uniqueName("eu")
        let usBucket = uniqueName("us")
        try await moto.client().createBucket(bucket, region: "eu-west-1")
        try await moto.client().createBucket(usBucket)

        let s3 = try moto.client(region: nil)
        #expect(try await s3.bucketRegion(bucket) == "eu-west-1")
        #expect(try await s3.bucketRegion(usBucket) == "us-east-1")
        #expect(try await s3.bucketLocation(bucket) == "eu-west-1")
        #expect(try await s3.bucketLocation(usBucket) == "us-east-1")
        try await s3.putObject(bucket: bucket, key: "k", body: [7])
        #expect(try await s3.headObject(bucket: bucket, key: "k").contentLength == 1)
        let fresh = try moto.client(region: nil)
        try await fresh.putObject(bucket: bucket, key: "k2", body: [8])
        #expect(try await fresh.bucketRegion(bucket) == "eu-west-1")
        let missing = await #expect(throws: S3Error.self) { try await fresh.bucketRegion(uniqueName("none")) }
        #expect(missing?.code == .noSuchBucket)
    }

    @Test func assumeRoleWithExternalIDYieldsWorkingTemporaryCredentials() async throws {
        let moto = try MotoContext.require()
        let role = AssumeRoleCredentialsProvider(
            roleARN: moto.roleARN, externalID: MotoContext.externalID, sessionName: "sluice-test",
            base: StaticCredentialsProvider(moto.user), httpClient: testHTTPClient,
            stsEndpoint: moto.server.endpoint)
        let temporary = try await role.credentials(logger: Logger(label: "test"))
        #expect(temporary.sessionToken != nil)
        #expect(temporary.accessKeyID != moto.user.accessKeyID)
        #expect(try #require(temporary.expiration) > Date())

        let s3 = try moto.client(credentials: CachingCredentialsProvider(role))
        let bucket = uniqueName("role")
        try await s3.createBucket(bucket)
        try await s3.putObject(bucket: bucket, key: "via-role", body: [1, 2])
        #expect(try await s3.headObject(bucket: bucket, key: "via-role").contentLength == 2)

        let bad = AssumeRoleCredentialsProvider(
            roleARN: moto.roleARN, externalID: "x",
            base: StaticCredentialsProvider(
                AWSCredentials(accessKeyID: moto.user.accessKeyID, secretAccessKey: "wrong")),
            httpClient: testHTTPClient, stsEndpoint: moto.server.endpoint)
        let error = await #expect(throws: S3Error.self) { try await bad.credentials(logger: Logger(label: "test")) }
        #expect(error?.code == .signatureDoesNotMatch)
        #expect(error?.operation == "AssumeRole")
    }

    @Test func instanceMetadataV2AndContainerEndpointsProvideCredentials() async throws {
        let moto = try MotoContext.require()
        let imds = InstanceMetadataCredentialsProvider(httpClient: testHTTPClient, endpoint: moto.server.endpoint)
        let fromIMDS = try await imds.credentials(logger: Logger(label: "test"))
        #expect(fromIMDS.accessKeyID == "test-key")
        #expect(fromIMDS.sessionToken == "test-session-token")
        #expect(fromIMDS.expiration != nil)

        let container = ContainerCredentialsProvider(
            environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI":
                    moto.server.endpoint + "/latest/meta-data/iam/security-credentials/default-role",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer abc",
            ], httpClient: testHTTPClient)
        #expect(try await container.credentials(logger: Logger(label: "test")).secretAccessKey == "test-secret-key")

        let disabled = InstanceMetadataCredentialsProvider(
            environment: ["AWS_EC2_METADATA_DISABLED": "true"], httpClient: testHTTPClient)
        let error = await #expect(throws: S3Error.self) { try await disabled.credentials(logger: Logger(label: "t")) }
        #expect(error?.code == .credentialsNotFound)
    }
}
