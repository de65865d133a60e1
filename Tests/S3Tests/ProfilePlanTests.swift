import Foundation
import Logging
import S3
import SluiceTesting
import Testing

/// How role profiles of `~/.aws/config` resolve, without network: the plan, and the errors for broken ones.
@Suite struct ProfilePlanTests {
    static let keys = AWSCredentials(accessKeyID: "AKIABASE", secretAccessKey: "base-secret")

    static func profiles(_ config: String, credentials: String = "") -> [String: [String: String]] {
        var merged = AWSConfigFile(parsing: config, isConfigFile: true).sections
        for (name, values) in AWSConfigFile(parsing: credentials, isConfigFile: false).sections {
            merged[name, default: [:]].merge(values) { $1 }
        }
        return merged
    }

    static func invalid(_ profile: String, _ config: String) -> S3Error? {
        #expect(throws: S3Error.self) { try ProfilePlan.resolve(profile, in: profiles(config)) }
    }

    @Test func aSourceProfileRoleCarriesEveryOption() throws {
        let plan = try ProfilePlan.resolve(
            "dest",
            in: Self.profiles(
                """
                [profile dest]
                role_arn = arn:aws:iam::123456789012:role/sluice
                source_profile = base
                external_id = ws-42
                role_session_name = sluice-prod
                duration_seconds = 900
                region = eu-west-1
                """, credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = base-secret\n"))
        let role = ProfilePlan.AssumedRole(
            profile: "dest", roleARN: "arn:aws:iam::123456789012:role/sluice", externalID: "ws-42",
            sessionName: "sluice-prod", durationSeconds: 900, region: "eu-west-1")
        #expect(plan == .assumeRole(role, source: .keys(Self.keys)))
    }

    @Test func defaultsAndRoleChainsAndSelfReference() throws {
        let config = """
            [profile first]
            role_arn = arn:aws:iam::1:role/first
            source_profile = second
            [profile second]
            role_arn = arn:aws:iam::2:role/second
            source_profile = self
            [profile self]
            role_arn = arn:aws:iam::3:role/self
            source_profile = self
            aws_access_key_id = AKIABASE
            aws_secret_access_key = base-secret
            """
        let plan = try ProfilePlan.resolve("first", in: Self.profiles(config))
        guard case .assumeRole(let first, .assumeRole(let second, .keys(let keys))) = plan else {
            Issue.record("unexpected plan \(plan)")
            return
        }
        #expect(first.roleARN == "arn:aws:iam::1:role/first")
        #expect(first.sessionName == "sluice")
        #expect(first.durationSeconds == 3600)
        #expect(first.externalID == nil)
        #expect(second.roleARN == "arn:aws:iam::2:role/second")
        #expect(keys == Self.keys)
        // A profile naming itself uses its own keys for its role.
        let selfPlan = try ProfilePlan.resolve("self", in: Self.profiles(config))
        guard case .assumeRole(let role, .keys(keys)) = selfPlan else {
            Issue.record("unexpected plan \(selfPlan)")
            return
        }
        #expect(role.roleARN == "arn:aws:iam::3:role/self")
    }

    @Test(arguments: ProfilePlan.CredentialSource.allCases)
    func credentialSourcesAreRecognised(_ source: ProfilePlan.CredentialSource) throws {
        let plan = try ProfilePlan.resolve(
            "r",
            in: Self.profiles("[profile r]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = \(source.rawValue)"))
        guard case .assumeRole(_, .credentialSource(source)) = plan else {
            Issue.record("unexpected plan \(plan)")
            return
        }
    }

    @Test func brokenRoleProfilesGetClearErrors() {
        let missing = Self.invalid("r", "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = nowhere")
        #expect(missing?.code == .invalidConfiguration)
        #expect(missing?.message.contains("source_profile \"nowhere\"") == true)

        let cycle = Self.invalid(
            "a",
            """
            [profile a]
            role_arn = arn:aws:iam::1:role/a
            source_profile = b
            [profile b]
            role_arn = arn:aws:iam::1:role/b
            source_profile = a
            """)
        #expect(cycle?.code == .invalidConfiguration)
        #expect(cycle?.message.contains("cycle: a -> b -> a") == true)

        let unknown = Self.invalid("r", "[profile r]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Laptop")
        #expect(unknown?.code == .invalidConfiguration)
        #expect(unknown?.message.contains("Environment, Ec2InstanceMetadata, EcsContainer") == true)

        let both = Self.invalid(
            "r", "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = r\ncredential_source = Environment")
        #expect(both?.message.contains("both") == true)
        let neither = Self.invalid("r", "[profile r]\nrole_arn = arn:aws:iam::1:role/r")
        #expect(neither?.message.contains("neither source_profile nor credential_source") == true)
        let duration = Self.invalid(
            "r", "[profile r]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\nduration_seconds = 60"
        )
        #expect(duration?.message.contains("duration_seconds = 60") == true)
        let mfa = Self.invalid(
            "r", "[profile r]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\nmfa_serial = arn:x")
        #expect(mfa?.message.contains("MFA") == true)
        let emptySource = Self.invalid(
            "r", "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = s\n[profile s]\nregion = x")
        #expect(emptySource?.code == .invalidConfiguration)
        for error in [missing, cycle, unknown, both, neither, duration, mfa, emptySource] {
            #expect(error?.message.contains("base-secret") == false)
        }
    }

    @Test func aMissingProfileLetsTheChainMoveOn() {
        let error = #expect(throws: S3Error.self) {
            try ProfilePlan.resolve("absent", in: Self.profiles("[default]\nregion = x"))
        }
        #expect(error?.code == .credentialsNotFound)
    }

    @Test func anEmptyCredentialSourceStopsTheChainWithoutSecrets() async throws {
        let directory = try TemporaryDirectory("aws-role")
        defer { directory.remove() }
        try "[profile r]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n"
            .write(toFile: directory.path + "/config", atomically: true, encoding: .utf8)
        let environment = [
            "HOME": "/nonexistent", "AWS_CONFIG_FILE": directory.path + "/config", "AWS_PROFILE": "r",
            "AWS_SHARED_CREDENTIALS_FILE": directory.path + "/none",
        ]
        let http = testHTTPClient
        let chain = CredentialsProviderChain.default(environment: environment, httpClient: http)
        let error = await #expect(throws: S3Error.self) { try await chain.credentials(logger: Logger(label: "t")) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("credential_source = Environment") == true)
    }
}
