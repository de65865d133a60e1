import Foundation
import SluiceTesting

/// awscli (v1, from pip) against a local S3-compatible server, as the seed's own instructions use it.
struct AWSCLI {
    let endpoint: String
    let accessKeyID: String
    let secretAccessKey: String
    var region = "us-east-1"

    static var isInstalled: Bool { which("aws") != nil }

    /// Runs `aws --endpoint-url … ARGS` and returns its output; throws with the output when it fails.
    @discardableResult
    func run(_ arguments: [String], currentDirectory: URL? = nil) throws -> String {
        let environment = [
            "AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey, "AWS_DEFAULT_REGION": region,
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_MAX_ATTEMPTS": "3",
        ]
        let (status, output) = try runCommand(
            "/usr/bin/env", ["aws", "--endpoint-url", endpoint] + arguments, environment: environment,
            currentDirectory: currentDirectory)
        guard status == 0 else { throw TestSupportError("aws \(arguments.joined(separator: " ")) failed: \(output)") }
        return output
    }
}
