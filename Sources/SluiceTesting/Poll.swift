import Foundation

/// Waits for a condition by polling it until a deadline, instead of sleeping a fixed time.
///
/// ```swift
/// try await Poll.until("moto answers", timeout: .seconds(10)) { FreePort.isListening(port) }
/// ```
public enum Poll {
    public static func until(
        _ what: String,
        timeout: Duration = .seconds(30),
        every interval: Duration = .milliseconds(50),
        _ condition: () async throws -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: interval)
        }
        throw TestSupportError("timed out after \(timeout) waiting for: \(what)")
    }
}
