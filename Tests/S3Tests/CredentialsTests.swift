import Foundation
import Logging
@testable import S3
import SluiceTesting
import Synchronization
import Testing

@Suite struct CredentialsTests {
    let logger = Logger(label: "test.credentials")

    @Test func environmentProviderReadsOnlyTheGivenDictionary() async throws {
        let provider = EnvironmentCredentialsProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "tok",
        ])
        let credentials = try await provider.credentials(logger: logger)
        #expect(credentials.accessKeyID == "AKIAENV")
        #expect(credentials.sessionToken == "tok")
        #expect(!"\(credentials)".contains("env-secret"))
        let empty = await #expect(throws: S3Error.self) {
            try await EnvironmentCredentialsProvider(environment: [:]).credentials(logger: logger)
        }
        #expect(empty?.code == .credentialsNotFound)
    }

    @Test func configFilesParse() {
        let config = AWSConfigFile(
            parsing: """
                # comment
                [default]
                region = eu-west-1
                [profile dest]
                role_arn = arn:aws:iam::1:role/r
                source_profile = default
                ; another comment
                external_id = ext
                """, isConfigFile: true)
        #expect(config.sections["default"]?["region"] == "eu-west-1")
        #expect(config.sections["dest"]?["external_id"] == "ext")
        let credentials = AWSConfigFile(
            parsing: "[default]\naws_access_key_id=AKIA1\n aws_secret_access_key = s = x \n", isConfigFile: false)
        #expect(credentials.sections["default"]?["aws_secret_access_key"] == "s = x")
    }

    @Test func profileProviderUsesAWSProfileAndBothFiles() async throws {
        let directory = try TemporaryDirectory("aws-profile")
        defer { directory.remove() }
        try
            "[default]\naws_access_key_id = AKIADEF\naws_secret_access_key = def\n[work]\naws_access_key_id = AKIAWORK\n"
            .write(toFile: directory.path + "/credentials", atomically: true, encoding: .utf8)
        try "[profile work]\naws_secret_access_key = work-secret\naws_session_token = t\n"
            .write(toFile: directory.path + "/config", atomically: true, encoding: .utf8)
        let environment = [
            "HOME": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": directory.path + "/credentials",
            "AWS_CONFIG_FILE": directory.path + "/config",
        ]
        let byDefault = try await ProfileCredentialsProvider(environment: environment).credentials(logger: logger)
        #expect(byDefault.accessKeyID == "AKIADEF")
        var selected = environment
        selected["AWS_PROFILE"] = "work"
        let work = try await ProfileCredentialsProvider(environment: selected).credentials(logger: logger)
        #expect(work.accessKeyID == "AKIAWORK")
        #expect(work.secretAccessKey == "work-secret")
        #expect(work.sessionToken == "t")
        selected["AWS_PROFILE"] = "missing"
        let missing = await #expect(throws: S3Error.self) {
            try await ProfileCredentialsProvider(environment: selected).credentials(logger: logger)
        }
        #expect(missing?.code == .credentialsNotFound)
    }

    @Test func chainSkipsProvidersWithNothingAndStopsAtRealErrors() async throws {
        let chain = CredentialsProviderChain([
            EnvironmentCredentialsProvider(environment: [:]),
            ProfileCredentialsProvider(environment: ["HOME": "/nonexistent"]),
            StaticCredentialsProvider(AWSCredentials(accessKeyID: "AKIASTATIC", secretAccessKey: "s")),
        ])
        #expect(try await chain.credentials(logger: logger).accessKeyID == "AKIASTATIC")
        let nothing = CredentialsProviderChain([EnvironmentCredentialsProvider(environment: [:])])
        let error = await #expect(throws: S3Error.self) { try await nothing.credentials(logger: logger) }
        #expect(error?.code == .credentialsNotFound)
        #expect(error?.message.contains("environment") == true)
        let broken = CredentialsProviderChain([
            FailingProvider(), StaticCredentialsProvider(AWSCredentials(accessKeyID: "A", secretAccessKey: "s")),
        ])
        let stopped = await #expect(throws: S3Error.self) { try await broken.credentials(logger: logger) }
        #expect(stopped?.code == .accessDenied)
    }

    @Test func cachingRefreshesBeforeExpiryAndSharesOneFetch() async throws {
        let clock = Mutex<Date>(Date(timeIntervalSince1970: 1_000_000))
        let source = CountingProvider(lifetime: 3600, now: { clock.withLock { $0 } })
        let cache = CachingCredentialsProvider(source, refreshBefore: 300, now: { clock.withLock { $0 } })
        let first = try await cache.credentials(logger: logger)
        #expect(source.count == 1)
        clock.withLock { $0 += 3000 }  // 10 minutes left: still fresh
        #expect(try await cache.credentials(logger: logger) == first)
        #expect(source.count == 1)
        clock.withLock { $0 += 400 }  // 200 s left: inside the refresh window
        let second = try await cache.credentials(logger: logger)
        #expect(source.count == 2)
        #expect(second.accessKeyID != first.accessKeyID)
        clock.withLock { $0 += 3500 }
        async let a = cache.credentials(logger: logger)
        async let b = cache.credentials(logger: logger)
        _ = try await (a, b)
        #expect(source.count == 3)
    }
}

struct FailingProvider: CredentialsProvider {
    var name: String { "failing" }
    func credentials(logger: Logger) async throws -> AWSCredentials {
        throw S3Error(code: .accessDenied, message: "STS refused")
    }
}

final class CountingProvider: CredentialsProvider {
    let lifetime: TimeInterval
    let now: @Sendable () -> Date
    private let fetches = Mutex(0)
    init(lifetime: TimeInterval, now: @escaping @Sendable () -> Date) {
        self.lifetime = lifetime
        self.now = now
    }
    var count: Int { fetches.withLock { $0 } }
    var name: String { "counting" }
    func credentials(logger: Logger) async throws -> AWSCredentials {
        let number = fetches.withLock {
            $0 += 1; return $0
        }
        try await Task.sleep(for: .milliseconds(20))
        return AWSCredentials(
            accessKeyID: "AKIA\(number)", secretAccessKey: "s", sessionToken: "t",
            expiration: now().addingTimeInterval(lifetime))
    }
}

@Suite struct STSFormTests {
    /// moto does not evaluate trust-policy conditions, so the external id is checked here on the wire form.
    @Test func assumeRoleSendsTheExternalID() {
        let form = STSClient.assumeRoleForm(
            roleARN: "arn:aws:iam::123456789012:role/dest", sessionName: "sluice", externalID: "ws/42+x",
            duration: 900)
        let fields = Dictionary(
            uniqueKeysWithValues: form.split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            })
        #expect(fields["Action"] == "AssumeRole")
        #expect(fields["ExternalId"] == "ws%2F42%2Bx")
        #expect(fields["RoleArn"] == "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdest")
        #expect(fields["DurationSeconds"] == "900")
        #expect(
            !STSClient.assumeRoleForm(roleARN: "r", sessionName: "s", externalID: nil, duration: 900)
                .contains("ExternalId"))
    }
}
