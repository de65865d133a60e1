import CLibdeflate

/// Decompresses a sequence of gzip members into one output buffer that never grows past `limit`.
struct MemberInflater {
    let decompressor: OpaquePointer
    let input: UnsafeRawBufferPointer
    let limit: Int
    private(set) var offset = 0
    private var output: [UInt8] = []
    /// The decompressed size of the previous member: the best guess for the next one.
    private var previousMemberSize = 0
    /// Zeros appended in chunks: `append(contentsOf:)` of an array is a memcpy even in debug builds.
    private static let zeros = [UInt8](repeating: 0, count: 1 << 16)

    init(decompressor: OpaquePointer, input: UnsafeRawBufferPointer, limit: Int) {
        self.decompressor = decompressor
        self.input = input
        self.limit = limit
    }

    consuming func finish() -> [UInt8] { output }

    /// Inflates the member at `offset` and advances past it.
    mutating func inflateMember() throws(DeflateError) {
        let memberStart = offset
        let bodyStart = try GzipHeader.parse(input, at: memberStart)
        let body = UnsafeRawBufferPointer(rebasing: input[bodyStart...])
        guard !body.isEmpty else {
            throw DeflateError(.truncated, "the gzip data ends right after a member header at byte \(memberStart)")
        }
        let produced = output.count
        var attempt = initialGuess(remainingInput: body.count)
        while true {
            let room = limit - produced
            let available = min(attempt, room)
            if output.capacity < produced + available {
                // Exact reservation: growing by doubling could overshoot the caller's memory cap.
                output.reserveCapacity(produced + available)
            }
            growOutput(to: produced + available)
            var consumed = 0
            var written = 0
            let result = output.withUnsafeMutableBytes { out in
                libdeflate_deflate_decompress_ex(
                    decompressor, body.baseAddress, body.count, out.baseAddress.map { $0 + produced },
                    available, &consumed, &written)
            }
            switch result {
            case LIBDEFLATE_SUCCESS:
                output.removeLast(output.count - produced - written)
                previousMemberSize = written
                try checkTrailer(memberStart: memberStart, trailerAt: bodyStart + consumed, producedFrom: produced)
                return
            case LIBDEFLATE_INSUFFICIENT_SPACE where available < room:
                attempt = available > room / 2 ? room : available * 2
            case LIBDEFLATE_INSUFFICIENT_SPACE:
                output.removeAll()
                throw DeflateError(
                    .tooLarge,
                    "the gzip data decompresses to more than \(limit) bytes; send smaller bodies (or raise the limit)")
            default:
                output.removeLast(output.count - produced)
                throw DeflateClassifier.failure(body: body, memberStart: memberStart)
            }
        }
    }

    /// A first output size. For the first member, the gzip ISIZE trailer at the end of the input (the last
    /// member's size) when plausible for DEFLATE's maximum ratio of about 1032:1; for later members, twice the
    /// previous member's size. Never trusted past the limit: the caller clamps it.
    private func initialGuess(remainingInput: Int) -> Int {
        if previousMemberSize > 0 { return max(previousMemberSize * 2, 4096) }
        var hint = 0
        if input.count >= 4 {
            let tail = input.count - 4
            for index in 0..<4 { hint |= Int(input[tail + index]) << (8 * index) }
        }
        let plausible = remainingInput > Int.max / 1032 ? Int.max : remainingInput * 1032
        if hint > 0, hint <= plausible { return max(hint, 4096) }
        return remainingInput > Int.max / 4 ? Int.max : max(remainingInput * 4, 4096)
    }

    private mutating func growOutput(to count: Int) {
        while output.count < count {
            let chunk = min(count - output.count, Self.zeros.count)
            output.append(contentsOf: Self.zeros[..<chunk])
        }
    }

    private mutating func checkTrailer(memberStart: Int, trailerAt: Int, producedFrom produced: Int)
        throws(DeflateError)
    {
        guard trailerAt + 8 <= input.count else {
            throw DeflateError(
                .truncated, "the gzip data ends inside the 8-byte trailer of the member at byte \(memberStart)")
        }
        let expectedCRC = readLE32(at: trailerAt)
        let expectedSize = readLE32(at: trailerAt + 4)
        let actualCRC = output.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[produced...])) }
        guard actualCRC == expectedCRC else {
            throw DeflateError(.corrupt, "the gzip member at byte \(memberStart) fails its CRC-32 check")
        }
        guard UInt32(truncatingIfNeeded: output.count - produced) == expectedSize else {
            throw DeflateError(.corrupt, "the gzip member at byte \(memberStart) has a wrong length in its trailer")
        }
        offset = trailerAt + 8
    }

    private func readLE32(at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for byte in 0..<4 { value |= UInt32(input[index + byte]) << (8 * byte) }
        return value
    }
}
