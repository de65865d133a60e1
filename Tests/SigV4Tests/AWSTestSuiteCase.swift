import Foundation
import SigV4
import Testing

/// One case of AWS's SigV4 signing test suite (the aws-c-auth v4 folder layout), read from disk.
struct AWSTestSuiteCase: CustomTestStringConvertible {
    let name: String
    let directory: URL

    var testDescription: String { name }

    /// Where the suite lives: `$SLUICE_SIGV4_SUITE`, else `../shared/reference/aws-sigv4-test-suite` beside the
    /// repository. The files are read in place and never copied into the project.
    static let suiteDirectory: URL = {
        if let override = ProcessInfo.processInfo.environment["SLUICE_SIGV4_SUITE"] {
            return URL(fileURLWithPath: override)
        }
        let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repositoryRoot.appendingPathComponent("../shared/reference/aws-sigv4-test-suite").standardized
    }()

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: suiteDirectory.appendingPathComponent("get-vanilla/context.json").path)
    }

    static var all: [AWSTestSuiteCase] {
        guard isAvailable,
            let names = try? FileManager.default.contentsOfDirectory(atPath: suiteDirectory.path)
        else { return [] }
        return names.sorted().compactMap { name in
            let directory = suiteDirectory.appendingPathComponent(name)
            let context = directory.appendingPathComponent("context.json").path
            return FileManager.default.fileExists(atPath: context)
                ? AWSTestSuiteCase(name: name, directory: directory) : nil
        }
    }

    func text(_ file: String) throws -> String {
        var text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    struct Context: Decodable {
        struct Credentials: Decodable {
            let access_key_id: String
            let secret_access_key: String
            let token: String?
        }
        let credentials: Credentials
        let expiration_in_seconds: Int
        let normalize: Bool
        let region: String
        let service: String
        let sign_body: Bool
        let timestamp: String
        let omit_session_token: Bool?
    }

    func context() throws -> Context {
        try JSONDecoder().decode(Context.self, from: Data(contentsOf: directory.appendingPathComponent("context.json")))
    }

    /// A raw HTTP/1.1 request as the suite writes it: folded header lines continue the previous value.
    struct RawRequest {
        var method: String
        var target: String
        var headers: [SigningRequest.Header]
        var body: [UInt8]
    }

    static func parse(_ raw: String) -> RawRequest {
        let (head, body) = {
            if let range = raw.range(of: "\n\n") {
                return (String(raw[..<range.lowerBound]), String(raw[range.upperBound...]))
            }
            return (raw, "")
        }()
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst()
        let method = String(requestLine.prefix { $0 != " " })
        var target = String(requestLine.dropFirst(method.count + 1))
        if let range = target.range(of: " HTTP/", options: .backwards) { target = String(target[..<range.lowerBound]) }
        var headers: [SigningRequest.Header] = []
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append(.init(String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        return RawRequest(method: method, target: target, headers: headers, body: Array(body.utf8))
    }
}
