import AsyncHTTPClient
import Catalog
import Foundation
import NIOCore

/// Re-submits quarantined events through a running node's Tracking API (`POST /v1/batch` with one of the source's
/// write keys), so they pass the normal ingest path: validation, enrichment, the spool. The rows a batch came from
/// are removed once the node has answered 200 for it; an event the node rejects again is quarantined again by the
/// node, with its current reason. So a second replay re-submits nothing twice.
public struct QuarantineReplay: Sendable {
    /// One event to re-submit: its bytes, and the quarantine row it replaces (nil for a line of a file without id).
    public struct Item: Sendable, Hashable {
        public let rowID: Int64?
        public let raw: [UInt8]
        /// Where it came from, for the report ("row 12", "line 3").
        public let label: String

        public init(rowID: Int64?, raw: [UInt8], label: String) {
            self.rowID = rowID
            self.raw = raw
            self.label = label
        }
    }

    /// An event the node refused again.
    public struct Rejection: Sendable, Hashable, Codable {
        public let item: String
        public let code: String
        public let message: String
    }

    /// What a replay did (or, dry, would do).
    public struct Outcome: Sendable, Hashable, Codable {
        public var submitted = 0
        public var accepted = 0
        public var stillInvalid: [Rejection] = []
        /// Quarantine rows removed because their event was re-submitted.
        public var removedRows = 0
        /// Lines of a file whose row is no longer quarantined, left out.
        public var skipped: [String] = []
        public var dryRun = false

        public init() {}
    }

    public let baseURL: String
    public let writeKey: String

    public init(baseURL: String, writeKey: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.writeKey = writeKey
    }

    /// Batches stay well under the Tracking API's 500 KB and 2,500-event limits.
    static let batchBytes = 400_000
    static let batchEvents = 1_000

    /// Submits `items` batch by batch and removes each batch's rows after the node's 200.
    public func run(_ items: [Item], sourceID: String, catalog: any QuarantineAdmin) async throws -> Outcome {
        try await probe()
        var outcome = Outcome()
        for batch in Self.batches(items) {
            let rejections = try await submit(batch)
            outcome.submitted += batch.count
            outcome.accepted += batch.count - rejections.count
            outcome.stillInvalid += rejections.map { index, code, message in
                Rejection(item: batch[index].label, code: code, message: message)
            }
            outcome.removedRows += try await catalog.removeQuarantined(
                sourceID: sourceID, ids: batch.compactMap(\.rowID))
        }
        return outcome
    }

    static func batches(_ items: [Item]) -> [[Item]] {
        var batches: [[Item]] = []
        var current: [Item] = []
        var bytes = 0
        for item in items {
            if !current.isEmpty && (bytes + item.raw.count > batchBytes || current.count == batchEvents) {
                batches.append(current)
                current = []
                bytes = 0
            }
            current.append(item)
            bytes += item.raw.count + 1
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// `GET /health` with a short deadline: the HTTP client keeps retrying a refused connection until the request's
    /// deadline, so an address where nothing listens is found out here rather than after a batch's long one.
    func probe() async throws {
        do {
            _ = try await HTTPClient.shared.execute(HTTPClientRequest(url: baseURL + "/health"), timeout: .seconds(5))
        } catch {
            throw ConfigurationError(
                message: "cannot reach the server at \(baseURL): \(error); is `sluice serve` running there (--url)?")
        }
    }

    /// Posts one batch; the node's rejections as (index in the batch, code, message).
    func submit(_ batch: [Item]) async throws -> [(Int, String, String)] {
        var body = Array(#"{"batch":["#.utf8)
        for (n, item) in batch.enumerated() {
            if n > 0 { body.append(UInt8(ascii: ",")) }
            body += item.raw
        }
        body += Array("]}".utf8)
        var request = HTTPClientRequest(url: baseURL + "/v1/batch")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(
            name: "Authorization", value: "Basic " + Data((writeKey + ":").utf8).base64EncodedString())
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .minutes(2))
        } catch {
            throw ConfigurationError(
                message: "cannot reach the server at \(baseURL): \(error); is `sluice serve` running there?")
        }
        let text = String(buffer: try await response.body.collect(upTo: 4 << 20))
        guard response.status == .ok else {
            // Nothing of this batch was taken: its rows stay quarantined.
            throw ConfigurationError(
                message: "the server answered \(response.status.code) to the replay (\(text.prefix(300))); the "
                    + "events not yet replayed stay quarantined")
        }
        let answer = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        let rejected = answer?["rejected"] as? [[String: Any]] ?? []
        return rejected.compactMap { entry in
            guard let index = entry["index"] as? Int, batch.indices.contains(index) else { return nil }
            return (index, entry["code"] as? String ?? "", entry["message"] as? String ?? "")
        }
    }
}
