import Foundation
import SluiceTesting
import Testing

@testable import SluiceApp

/// The browser and TLS settings under `http`, loaded from a config file and checked before anything starts.
@Suite struct HTTPConfigurationTests {
    func load(_ json: String) throws -> SluiceConfiguration {
        let directory = try TemporaryDirectory("config")
        defer { directory.remove() }
        let path = directory.path + "/sluice.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return try SluiceConfiguration.load(path: path)
    }

    @Test func theSettingsLoadAndValidate() throws {
        let loaded = try load(
            """
            {"http": {"cors": {"allowOrigins": ["https://shop.example.com"]}, "publicURL": "https://collect.example.com",
                      "trustedProxies": ["10.0.0.0/8", "fd00::/8"],
                      "tls": {"certificateFile": "/etc/sluice/cert.pem", "privateKeyFile": "/etc/sluice/key.pem"}}}
            """)
        #expect(loaded.http.cors.allowOrigins == ["https://shop.example.com"])
        #expect(loaded.http.publicURL == "https://collect.example.com")
        #expect(try loaded.http.proxies().ranges.count == 2)
        #expect(
            loaded.http.tls == .init(certificateFile: "/etc/sluice/cert.pem", privateKeyFile: "/etc/sluice/key.pem"))
        try loaded.validate()
        let defaults = SluiceConfiguration()
        #expect(defaults.http.cors.allowOrigins == ["*"] && defaults.http.trustedProxies.isEmpty)
        #expect(defaults.http.tls == nil && defaults.http.publicURL == nil)
    }

    @Test(arguments: [
        (#"{"http": {"cors": {"allowOrigin": ["*"]}}}"#, "unknown setting \"allowOrigin\" in \"http.cors\""),
        (#"{"http": {"tls": {"certificateFile": "c", "privateKeyFile": "k", "ca": "x"}}}"#, "in \"http.tls\""),
    ])
    func unknownKeysAreRefused(json: String, says: String) throws {
        do {
            _ = try load(json)
            Issue.record("\(json) loaded")
        } catch let error as ConfigurationError {
            #expect(error.message.contains(says), "\(error.message)")
        }
    }

    @Test(arguments: [
        (#"{"http": {"cors": {"allowOrigins": ["shop.example.com"]}}}"#, "http.cors.allowOrigins"),
        (#"{"http": {"publicURL": "https://collect.example.com/v1"}}"#, "http.publicURL"),
        (#"{"http": {"trustedProxies": ["10.0.0.1/8"]}}"#, "10.0.0.1/8"),
    ])
    func unusableValuesAreRefusedByValidate(json: String, says: String) throws {
        let loaded = try load(json)
        do {
            try loaded.validate()
            Issue.record("\(json) validated")
        } catch let error as ConfigurationError {
            #expect(error.message.contains(says), "\(error.message)")
        }
    }
}
