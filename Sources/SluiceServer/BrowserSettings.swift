/// The settings document analytics-next fetches from `{cdnURL}/v1/projects/{writeKey}/settings` before it starts:
/// Segment.io as the only destination, pointing back at Sluice, so a page needs no Segment servers at all.
///
/// ```swift
/// BrowserSettings(writeKey: "k", apiHost: "collect.example.com/v1", protocol: "https").json
/// // {"integrations":{"Segment.io":{"apiKey":"k","apiHost":"collect.example.com/v1","protocol":"https",...}},...}
/// ```
public struct BrowserSettings: Sendable, Equatable {
    /// The source's write key, which the page already has (it asked with it).
    public var writeKey: String
    /// `host[:port]/v1`: where analytics-next posts events (`{protocol}://{apiHost}/t`, `/p`, `/i`, ...).
    public var apiHost: String
    /// `http` or `https`.
    public var `protocol`: String

    public init(writeKey: String, apiHost: String, protocol: String) {
        self.writeKey = writeKey
        self.apiHost = apiHost
        self.protocol = `protocol`
    }

    /// The document. Besides the one destination it turns off what would call Segment's own hosts: remote metrics
    /// (`metrics.sampleRate` 0; analytics-next otherwise posts them to api.segment.io), remote plugins, device-mode
    /// destinations and middleware. `plan` accepts every event, as a source without a tracking plan does.
    public var json: String {
        let segmentIO =
            #"{"addBundledMetadata":true,"apiHost":"# + JSONBody.quoted(apiHost) + #","apiKey":"#
            + JSONBody.quoted(writeKey) + #","maybeBundledConfigIds":{},"protocol":"# + JSONBody.quoted(`protocol`)
            + #","unbundledIntegrations":[]}"#
        return #"{"analyticsNextEnabled":true,"edgeFunction":{},"enabledMiddleware":{},"integrations":{"Segment.io":"#
            + segmentIO
            + #"},"legacyVideoPluginsEnabled":false,"metrics":{"sampleRate":0},"middlewareSettings":{},"#
            + #""plan":{"group":{"__default":{"enabled":true}},"identify":{"__default":{"enabled":true}},"#
            + #""track":{"__default":{"enabled":true,"integrations":{}}}},"remotePlugins":[]}"#
    }

    /// The `host[:port]` a request named (`Host`, or HTTP/2's `:authority`), when it is a plain host name or
    /// address with an optional port; nil for anything else, so a forged header cannot inject text into the document.
    public static func authority(_ text: String?) -> String? {
        guard let text, !text.isEmpty, text.utf8.count <= 260 else { return nil }
        let allowed = text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"),
                UInt8(ascii: "["), UInt8(ascii: "]"):
                return true
            default:
                return false
            }
        }
        return allowed ? text : nil
    }
}
