/// Makes `messageId`s for events that arrive without one.
///
/// The default, ``ksuid``, makes Segment-style ids: `api-` followed by a 27-character base62 KSUID (a 4-byte
/// timestamp in seconds since 2014-05-13, then 16 random bytes), so ids sort roughly by receive time.
/// Inject a deterministic generator in tests:
///
/// ```swift
/// let fixed = MessageIDGenerator { _ in "api-test" }
/// let seeded = MessageIDGenerator.ksuid(random: { (1, 2) })
/// ```
public struct MessageIDGenerator: Sendable {
    private let generate: @Sendable (_ receivedAtMilliseconds: Int64) -> String

    /// Creates a generator from a function of the receive time.
    public init(_ generate: @escaping @Sendable (_ receivedAtMilliseconds: Int64) -> String) {
        self.generate = generate
    }

    /// A new id for an event received at `receivedAtMilliseconds`.
    public func messageID(receivedAtMilliseconds: Int64) -> String {
        generate(receivedAtMilliseconds)
    }

    /// `api-` + KSUID with randomness from the system's secure generator.
    public static let ksuid = MessageIDGenerator.ksuid(random: {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    })

    /// `api-` + KSUID whose 128 random bits come from `random`.
    public static func ksuid(random: @escaping @Sendable () -> (UInt64, UInt64)) -> MessageIDGenerator {
        MessageIDGenerator { milliseconds in
            "api-" + KSUID.string(receivedAtMilliseconds: milliseconds, random: random())
        }
    }
}

/// K-Sortable Unique IDs: 20 bytes (seconds since the KSUID epoch, then 128 random bits) in 27 base62 digits.
enum KSUID {
    /// The KSUID epoch, 2014-05-13T16:53:20Z, in Unix seconds.
    static let epochSeconds: Int64 = 1_400_000_000

    static func string(receivedAtMilliseconds: Int64, random: (UInt64, UInt64)) -> String {
        let seconds = Timestamp.floorDivide(receivedAtMilliseconds, 1000).quotient - epochSeconds
        let stamp = UInt32(clamping: max(seconds, 0))
        // Five big-endian 32-bit words: the timestamp, then the random payload.
        var words: [UInt32] = [
            stamp, UInt32(truncatingIfNeeded: random.0 >> 32), UInt32(truncatingIfNeeded: random.0),
            UInt32(truncatingIfNeeded: random.1 >> 32), UInt32(truncatingIfNeeded: random.1),
        ]
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: 27)
        for position in stride(from: 26, through: 0, by: -1) {
            var remainder: UInt64 = 0
            for index in words.indices {
                let accumulator = remainder << 32 | UInt64(words[index])
                words[index] = UInt32(accumulator / 62)
                remainder = accumulator % 62
            }
            digits[position] = alphabet[Int(remainder)]
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
