import Deflate
import SegmentModel

/// The properties the request scanner and the enricher must keep for any input bytes, shared by the libFuzzer
/// entry point and the corpus replay test.
///
/// For each input: decode it on a batch endpoint and on a single-call endpoint (the call type picked by the input's
/// length), and, when it starts with the gzip magic, also decode what `Gzip.decompress` yields under a 1 MiB
/// cap. Every accepted event is enriched; each line must be strict JSON (``StrictJSON``) whose top level is an
/// object carrying `messageId`, `receivedAt`, `timestamp` and `type`. Whole-request errors and rejected items are
/// fine; a crash, a hang or a violation is not.
///
/// ```swift
/// let problems = SegmentInvariants.violations(Array(#"{"batch":[{"type":"track","event":"x","userId":"u"}]}"#.utf8))
/// assert(problems.isEmpty)
/// ```
public enum SegmentInvariants {
    /// The decompressed size cap, as the server applies one to gzip bodies.
    public static let maxInflatedBytes = 1 << 20

    static let context = EnrichmentContext(
        sourceID: "src_fuzz", receivedAtMilliseconds: 1_700_000_000_123, peerIP: "198.51.100.7",
        messageIDGenerator: MessageIDGenerator { _ in "api-fuzz" })

    static let requiredMembers: [[UInt8]] = ["messageId", "receivedAt", "timestamp", "type"].map { Array($0.utf8) }

    /// Returns a description of every invariant `input` breaks (empty when all hold).
    public static func violations(_ input: [UInt8]) -> [String] {
        var problems: [String] = []
        check(input, label: "raw", into: &problems)
        if input.count >= 2, input[0] == 0x1F, input[1] == 0x8B {
            do {
                let inflated = try Gzip.decompress(input, maxOutputBytes: maxInflatedBytes)
                if inflated.count > maxInflatedBytes {
                    problems.append("gzip: \(inflated.count) bytes exceed the \(maxInflatedBytes)-byte cap")
                }
                check(inflated, label: "gunzipped", into: &problems)
            } catch {
                // Corrupt, truncated or over the cap: refused, which is the expected outcome.
            }
        }
        return problems
    }

    private static func check(_ body: [UInt8], label: String, into problems: inout [String]) {
        // By length, not content: most inputs start with "{", and mutations change the length all the time.
        let type = CallType.allCases[body.count % CallType.allCases.count]
        for endpoint in [Endpoint.batch, .single(type)] {
            let request: DecodedRequest
            do {
                request = try TrackingRequestDecoder.decode(body: body, endpoint: endpoint)
            } catch {
                continue
            }
            var enricher = Enricher()
            for event in request.events {
                var line: [UInt8] = []
                enricher.appendLine(for: event, of: request, context: context, into: &line)
                let where_ = "\(label) \(endpoint) event \(event.index)"
                do {
                    guard let names = try StrictJSON.validate(line) else {
                        problems.append("\(where_): the line is not an object")
                        continue
                    }
                    for name in requiredMembers where !names.contains(name) {
                        problems.append("\(where_): no \(String(decoding: name, as: UTF8.self)) member")
                    }
                } catch {
                    problems.append("\(where_): not strict JSON: \(error)")
                }
            }
        }
    }
}
