/// Where a shared-config profile's credentials come from, worked out from the merged profile files without any I/O,
/// the way the AWS CLI reads them:
///
/// - keys: `aws_access_key_id`, `aws_secret_access_key` (and `aws_session_token`);
/// - a role: `role_arn` with either `source_profile` (the keys, or the role, of another profile; a profile may name
///   itself to use its own keys) or `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`),
///   and optional `external_id`, `role_session_name`, `duration_seconds` (900...43200) and `region` (the STS
///   region).
///
/// ```ini
/// [profile sluice-dest]
/// role_arn = arn:aws:iam::123456789012:role/sluice
/// source_profile = default
/// external_id = workspace-42
/// ```
public indirect enum ProfilePlan: Sendable, Hashable {
    /// Keys written in the profile.
    case keys(AWSCredentials)
    /// Credentials from Sluice's environment, the instance metadata service or the container endpoint.
    case credentialSource(CredentialSource)
    /// STS AssumeRole on `role`, signed with the credentials `source` yields.
    case assumeRole(AssumedRole, source: ProfilePlan)

    /// The `credential_source` values the AWS CLI accepts.
    public enum CredentialSource: String, Sendable, Hashable, CaseIterable {
        case environment = "Environment"
        case ec2InstanceMetadata = "Ec2InstanceMetadata"
        case ecsContainer = "EcsContainer"
    }

    /// One role step of a profile.
    public struct AssumedRole: Sendable, Hashable {
        public var profile: String
        public var roleARN: String
        public var externalID: String?
        public var sessionName: String
        public var durationSeconds: Int
        public var region: String?

        public init(
            profile: String, roleARN: String, externalID: String? = nil, sessionName: String = "sluice",
            durationSeconds: Int = 3600, region: String? = nil
        ) {
            self.profile = profile
            self.roleARN = roleARN
            self.externalID = externalID
            self.sessionName = sessionName
            self.durationSeconds = durationSeconds
            self.region = region
        }
    }

    static let durations = 900...43200

    /// The plan for `profile` in `profiles` (section name to lower-cased keys). Throws `.credentialsNotFound` when
    /// the profile does not exist or holds neither keys nor a role (so a chain moves on), and `.invalidConfiguration`
    /// for a role profile that cannot work: a missing source profile, a cycle of `source_profile` references, an
    /// unknown `credential_source`, both or neither of the two, an MFA requirement, a bad `duration_seconds`.
    public static func resolve(_ profile: String, in profiles: [String: [String: String]]) throws(S3Error)
        -> ProfilePlan
    {
        guard let values = profiles[profile] else {
            throw .credentialsNotFound("Profile \"\(profile)\" is not in the shared config or credentials file.")
        }
        if values["role_arn"] != nil { return try role(profile, values, in: profiles, visited: [profile]) }
        guard let keys = keys(values) else {
            throw .credentialsNotFound(
                "Profile \"\(profile)\" has neither aws_access_key_id/aws_secret_access_key nor role_arn.")
        }
        return .keys(keys)
    }

    private static func keys(_ values: [String: String]) -> AWSCredentials? {
        guard let id = values["aws_access_key_id"].nonEmpty, let secret = values["aws_secret_access_key"].nonEmpty
        else { return nil }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: values["aws_session_token"])
    }

    private static func role(
        _ profile: String, _ values: [String: String], in profiles: [String: [String: String]], visited: [String]
    ) throws(S3Error) -> ProfilePlan {
        let assumed = try assumedRole(profile, values)
        switch (values["source_profile"].nonEmpty, values["credential_source"].nonEmpty) {
        case (let source?, nil):
            return .assumeRole(assumed, source: try sourcePlan(source, of: profile, in: profiles, visited: visited))
        case (nil, let kind?):
            guard let source = CredentialSource(rawValue: kind) else {
                throw invalid(
                    "Profile \"\(profile)\" has credential_source = \(kind); use one of "
                        + CredentialSource.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            return .assumeRole(assumed, source: .credentialSource(source))
        case (_?, _?):
            throw invalid("Profile \"\(profile)\" sets both source_profile and credential_source; keep one.")
        case (nil, nil):
            throw invalid(
                "Profile \"\(profile)\" has role_arn but neither source_profile nor credential_source; add one.")
        }
    }

    private static func sourcePlan(
        _ source: String, of profile: String, in profiles: [String: [String: String]], visited: [String]
    ) throws(S3Error) -> ProfilePlan {
        guard let values = profiles[source] else {
            throw invalid(
                "Profile \"\(profile)\" names source_profile \"\(source)\", which is not in the shared config or "
                    + "credentials file; add it or fix the name.")
        }
        // The source's own keys win over its role_arn, which also lets a profile name itself.
        if let keys = keys(values) { return .keys(keys) }
        guard !visited.contains(source) else {
            throw invalid(
                "The source_profile references form a cycle: " + (visited + [source]).joined(separator: " -> ")
                    + "; end the chain at a profile with keys or a credential_source.")
        }
        guard values["role_arn"] != nil else {
            throw invalid(
                "Profile \"\(profile)\" names source_profile \"\(source)\", which has neither "
                    + "aws_access_key_id/aws_secret_access_key nor role_arn.")
        }
        return try role(source, values, in: profiles, visited: visited + [source])
    }

    private static func assumedRole(_ profile: String, _ values: [String: String]) throws(S3Error) -> AssumedRole {
        guard let roleARN = values["role_arn"].nonEmpty, roleARN.hasPrefix("arn:") else {
            throw invalid("Profile \"\(profile)\" has role_arn = \(values["role_arn"] ?? ""), which is not an ARN.")
        }
        if values["mfa_serial"].nonEmpty != nil {
            throw invalid(
                "Profile \"\(profile)\" needs an MFA code (mfa_serial), which a server cannot prompt for; use a "
                    + "role without MFA for Sluice.")
        }
        var duration = 3600
        if let text = values["duration_seconds"].nonEmpty {
            guard let seconds = Int(text), durations.contains(seconds) else {
                throw invalid(
                    "Profile \"\(profile)\" has duration_seconds = \(text); use whole seconds from "
                        + "\(durations.lowerBound) to \(durations.upperBound).")
            }
            duration = seconds
        }
        return AssumedRole(
            profile: profile, roleARN: roleARN, externalID: values["external_id"].nonEmpty,
            sessionName: values["role_session_name"].nonEmpty ?? "sluice", durationSeconds: duration,
            region: values["region"].nonEmpty)
    }

    private static func invalid(_ message: String) -> S3Error {
        S3Error(code: .invalidConfiguration, message: message)
    }
}
