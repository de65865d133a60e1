import Dedupe

extension SluiceConfiguration {
    /// The messageId de-duplication window of `dedupeWindow`, nil when it is off.
    public func deduplicationWindow() throws -> DedupeWindow? {
        guard let window = DedupeWindow.parse(dedupeWindow) else {
            throw ConfigurationError(
                message: "dedupeWindow \"\(dedupeWindow.prefix(40))\" is not a duration: give a number with s, m, h "
                    + "or d (24h, 90m, 7d, at most 3650d), or off")
        }
        return window
    }
}
