import Foundation
import SluiceTesting
import Testing

@testable import SluiceApp

@Suite struct ConfigurationTests {
    func load(_ json: String) throws -> SluiceConfiguration {
        let directory = try TemporaryDirectory("config")
        defer { directory.remove() }
        let path = directory.path + "/sluice.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return try SluiceConfiguration.load(path: path)
    }

    /// The README's example, every key spelled out with its default.
    @Test func theDocumentedExampleLoadsAsTheDefaults() throws {
        let loaded = try load(
            """
            {
              "host": "127.0.0.1", "port": 8080, "dataDirectory": "./sluice-data", "catalog": null, "nodeId": null,
              "logLevel": "info", "dedupeWindow": "24h",
              "staging": {"url": null, "endpoint": null, "region": null},
              "batch": {"maxBytes": 100000000, "maxAgeSeconds": 3600, "memberBytes": 1048576, "compressionLevel": 5},
              "spool": {"maxBytes": 10737418240, "minFreeDiskBytes": 536870912, "segmentBytes": 67108864, "fsync": true,
                        "preallocate": true},
              "copy": {"minute": 40, "continuous": false, "intervalSeconds": 60, "retentionDays": null,
                       "retentionHours": null, "stsEndpoint": null, "multipartThresholdBytes": 5368709120},
              "http": {"eventLoops": null, "cors": {"allowOrigins": ["*"]}, "publicURL": null, "trustedProxies": [],
                       "tls": null, "metricsListen": null, "idleTimeoutSeconds": 60, "headerTimeoutSeconds": 10,
                       "bodyTimeoutSeconds": 15, "maxConnections": null},
              "quarantine": {"retentionHours": null, "retentionIntervalSeconds": 3600}
            }
            """)
        #expect(loaded == SluiceConfiguration())
        #expect(try load("{}") == SluiceConfiguration())
        let tuned = try load(#"{"spool": {"fsync": false}, "http": {"eventLoops": 3}}"#)
        #expect(tuned.spool.fsync == false && tuned.spool.preallocate)
        #expect(tuned.http.eventLoops == 3)
        #expect(
            try load(#"{"copy": {"multipartThresholdBytes": 104857600}}"#).copy.multipartThresholdBytes == 100 << 20)
        #expect(throws: ConfigurationError.self) {
            try load(#"{"copy": {"multipartThresholdBytes": 1024}}"#).validate()
        }
    }

    /// A misspelt key must not leave the default silently in place, in any section.
    @Test(arguments: [
        (#"{"prot": 9000}"#, "prot", "at the top level"),
        (#"{"spool": {"fsnyc": false}}"#, "fsnyc", "in \"spool\""),
        (#"{"batch": {"maxAge": 60}}"#, "maxAge", "in \"batch\""),
        (#"{"copy": {"minutes": 10}}"#, "minutes", "in \"copy\""),
        (#"{"http": {"eventloops": 1}}"#, "eventloops", "in \"http\""),
    ])
    func unknownKeysAreRefusedWithTheirName(json: String, key: String, place: String) throws {
        do {
            _ = try load(json)
            Issue.record("\(json) loaded")
        } catch let error as ConfigurationError {
            #expect(error.message.contains("unknown setting \"\(key)\" \(place)"), "\(error.message)")
            #expect(error.message.contains("sluice.json"))
        }
    }

    @Test func eventLoopsDefaultToHalfTheCores() throws {
        let defaults = SluiceConfiguration.HTTPSettings()
        #expect(defaults.eventLoopCount(cores: 1) == 1)
        #expect(defaults.eventLoopCount(cores: 2) == 1)
        #expect(defaults.eventLoopCount(cores: 16) == 8)
        var fixed = SluiceConfiguration()
        fixed.http.eventLoops = 3
        #expect(fixed.http.eventLoopCount(cores: 16) == 3)
        try fixed.validate()
        fixed.http.eventLoops = 0
        #expect(throws: ConfigurationError.self) { try fixed.validate() }
    }
}
