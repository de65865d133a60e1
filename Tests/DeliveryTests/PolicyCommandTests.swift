import Foundation
import SluiceTesting
import Testing

/// `sluice policy print|check` as a user runs them.
@Suite struct PolicyCommandTests {
    let principal = "arn:aws:iam::123456789012:user/sluice-copy"

    @Test func printThenCheckTheSeedPolicyWithSSEOnAndOff() throws {
        let dir = try TemporaryDirectory("policy-cli")
        defer { dir.remove() }
        let printed = try runCommand(
            SluiceServerProcess.binaryPath,
            ["policy", "print", "--bucket", "mybucket/path", "--principal", principal, "--enforce-encryption", "--kms"])
        #expect(printed.status == 0)
        #expect(printed.output.contains("arn:aws:s3:::mybucket/path/segment-logs/*"))
        #expect(printed.output.contains("kms:GenerateDataKey"))

        let file = dir.path + "/policy.json"
        try seedPolicy(bucket: "mybucket", principal: principal).write(toFile: file, atomically: true, encoding: .utf8)
        let check = ["policy", "check", file, "--bucket", "mybucket", "--principal", principal]
        let on = try runCommand(SluiceServerProcess.binaryPath, check + ["--sse", "aes256"])
        #expect(on.status == 0 && on.output.contains("ok:"))
        let off = try runCommand(SluiceServerProcess.binaryPath, check + ["--sse", "none"])
        #expect(off.status == 1)
        #expect(off.output.contains("DenyUnEncryptedObjectUploads") && off.output.contains("--sse aes256"))
        let other = try runCommand(
            SluiceServerProcess.binaryPath,
            ["policy", "check", file, "--bucket", "mybucket", "--principal", "arn:aws:iam::999999999999:user/other"])
        #expect(other.status == 1 && other.output.contains("not Sluice's principal"))
    }
}
