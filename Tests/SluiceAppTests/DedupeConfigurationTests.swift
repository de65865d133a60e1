import Dedupe
import Foundation
import SluiceTesting
import Testing

@testable import SluiceApp

/// `dedupeWindow` (config key and `--dedupe-window`): on for 24 hours by default, any duration, or off.
@Suite struct DedupeConfigurationTests {
    func load(_ json: String) throws -> SluiceConfiguration {
        let directory = try TemporaryDirectory("config-dedupe")
        defer { directory.remove() }
        let path = directory.path + "/sluice.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return try SluiceConfiguration.load(path: path)
    }

    @Test func defaultsToTwentyFourHours() throws {
        #expect(try SluiceConfiguration().deduplicationWindow() == DedupeWindow.standard)
        #expect(try load(#"{"dedupeWindow": "90m"}"#).deduplicationWindow() == DedupeWindow(milliseconds: 5_400_000))
        #expect(try load(#"{"dedupeWindow": "off"}"#).deduplicationWindow() == nil)
        #expect(try load(#"{"dedupeWindow": "0"}"#).deduplicationWindow() == nil)
    }

    @Test func aBadWindowFailsValidationWithWhatToWrite() throws {
        var configuration = SluiceConfiguration()
        configuration.dedupeWindow = "forever"
        let error = #expect(throws: ConfigurationError.self) { try configuration.validate() }
        #expect(error?.message.contains("24h, 90m, 7d") == true)
    }
}
