/// The 64-bit hash of a `messageId`'s bytes that places it in an index table and its filter. Stored in the index
/// files, so the standard function never changes; tests inject one that collides on purpose.
public struct MessageIDHasher: Sendable {
    let function: @Sendable ([UInt8]) -> UInt64

    /// Wraps a hash function (tests: a constant one makes every id collide).
    public init(_ function: @escaping @Sendable ([UInt8]) -> UInt64) {
        self.function = function
    }

    /// FNV-1a over the bytes, then a SplitMix64 finalizer so that every output bit depends on every input byte.
    public static let standard = MessageIDHasher { bytes in
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return mix(hash)
    }

    /// The hash of `bytes`.
    public func hash(_ bytes: [UInt8]) -> UInt64 { function(bytes) }

    /// SplitMix64's finalizer: a bijection that spreads the input's entropy over all 64 bits.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
