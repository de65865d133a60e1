import Catalog
import Foundation

/// A destination as status shows it: settings (secrets redacted by `summary`), last success, what is pending,
/// and the last error in plain words.
public struct DestinationStatus: Sendable {
    public let destination: Destination
    public let state: DestinationState
    /// Staged files of its source it has not received (owed even while disabled; copied once enabled).
    public let pendingFiles: Int
    public let pendingBytes: Int64
    public let deliveredFiles: Int

    /// A JSON-ready dictionary without secrets.
    public var summary: [String: Any] {
        let d = destination
        var access: [String: Any] = ["kind": d.access.kind]
        switch d.access {
        case .defaultChain: break
        case .staticKeys(let keyID, _): access["accessKeyId"] = keyID
        case .environmentKeys(let keyID, let variable):
            access["accessKeyId"] = keyID
            access["secretVariable"] = variable
        case .assumeRole(let arn, let externalID):
            access["roleArn"] = arn
            access["externalId"] = externalID ?? NSNull()
        }
        return [
            "id": d.id, "sourceId": d.sourceID, "bucket": d.bucket, "sse": d.encryption.storedValue,
            "access": access, "endpoint": d.endpoint ?? NSNull(), "region": d.region ?? NSNull(),
            "enabled": d.enabled, "pendingFiles": pendingFiles, "pendingBytes": pendingBytes,
            "deliveredFiles": deliveredFiles,
            "lastSuccessAt": state.lastSuccessMilliseconds ?? NSNull(),
            "lastAttemptAt": state.lastAttemptMilliseconds ?? NSNull(),
            "lastError": state.lastError ?? NSNull(),
            "lastErrorAt": state.lastErrorMilliseconds ?? NSNull(),
            "consecutiveFailures": state.consecutiveFailures,
        ]
    }

    /// Statuses as a JSON array (sorted keys), for `--json` and the admin API.
    public static func json(_ statuses: [DestinationStatus]) -> String {
        render(statuses.map(\.summary))
    }

    /// One status as a JSON object.
    public var json: String { Self.render(summary) }

    static func render(_ object: Any) -> String {
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: options) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
