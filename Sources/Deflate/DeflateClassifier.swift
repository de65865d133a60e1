/// Decides whether a DEFLATE stream that libdeflate rejected is corrupt or merely cut short.
///
/// libdeflate reports both as "bad data". On that (rare) path this walks the stream's structure (block headers,
/// Huffman tables, symbols, distances) without producing output: running out of input before the final block
/// ends means the data was truncated; any structural error, or a stream that is structurally fine (so libdeflate
/// objected to something else), means it is corrupt.
enum DeflateClassifier {
    static func failure(body: UnsafeRawBufferPointer, memberStart: Int) -> DeflateError {
        var walker = DeflateWalker(input: body)
        if case .truncated = walker.walk() {
            return DeflateError(
                .truncated, "the gzip data ends inside the compressed data of the member at byte \(memberStart)")
        }
        return DeflateError(.corrupt, "the compressed data of the gzip member at byte \(memberStart) is invalid")
    }
}

/// A bit reader and DEFLATE structure checker (RFC 1951).
struct DeflateWalker {
    enum Outcome { case complete, truncated, corrupt }
    private enum Stop: Error { case truncated, corrupt }

    let input: UnsafeRawBufferPointer
    private var position = 0
    private var bitBuffer: UInt32 = 0
    private var bitCount = 0
    private var produced = 0

    init(input: UnsafeRawBufferPointer) { self.input = input }

    mutating func walk() -> Outcome {
        do throws(Stop) {
            var isFinal = false
            while !isFinal {
                isFinal = try bits(1) == 1
                switch try bits(2) {
                case 0: try storedBlock()
                case 1: try huffmanBlock(literals: HuffmanCode.fixedLiterals, distances: HuffmanCode.fixedDistances)
                case 2:
                    let (literals, distances) = try dynamicTables()
                    try huffmanBlock(literals: literals, distances: distances)
                default: throw Stop.corrupt
                }
            }
            return .complete
        } catch {
            return error == .truncated ? .truncated : .corrupt
        }
    }

    private mutating func bits(_ count: Int) throws(Stop) -> Int {
        while bitCount < count {
            guard position < input.count else { throw .truncated }
            bitBuffer |= UInt32(input[position]) << bitCount
            position += 1
            bitCount += 8
        }
        let value = Int(bitBuffer & ((1 << count) - 1))
        bitBuffer >>= count
        bitCount -= count
        return value
    }

    private mutating func storedBlock() throws(Stop) {
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.count else { throw .truncated }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw .corrupt }
        position += 4
        guard position + length <= input.count else { throw .truncated }
        position += length
        produced += length
    }

    private mutating func decode(_ code: HuffmanCode) throws(Stop) -> Int {
        var value = 0
        var first = 0
        var index = 0
        for length in 1...15 {
            value |= try bits(1)
            let count = code.counts[length]
            if value - first < count { return code.symbols[index + value - first] }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw .corrupt
    }

    private mutating func huffmanBlock(literals: HuffmanCode, distances: HuffmanCode) throws(Stop) {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                produced += 1
            } else if symbol == 256 {
                return
            } else {
                let lengthIndex = symbol - 257
                guard lengthIndex < 29 else { throw .corrupt }
                let length = HuffmanCode.lengthBase[lengthIndex] + (try bits(HuffmanCode.lengthExtra[lengthIndex]))
                let distanceIndex = try decode(distances)
                guard distanceIndex < 30 else { throw .corrupt }
                let distance =
                    HuffmanCode.distanceBase[distanceIndex] + (try bits(HuffmanCode.distanceExtra[distanceIndex]))
                guard distance <= produced else { throw .corrupt }
                produced += length
            }
        }
    }

    private mutating func dynamicTables() throws(Stop) -> (HuffmanCode, HuffmanCode) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .corrupt }
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengths = [Int](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengths[order[index]] = try bits(3) }
        guard let lengthCode = HuffmanCode(lengths: codeLengths, allowIncomplete: false) else { throw .corrupt }
        var lengths: [Int] = []
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(lengthCode)
            switch symbol {
            case 0...15: lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw .corrupt }
                lengths += repeatElement(previous, count: 3 + (try bits(2)))
            case 17: lengths += repeatElement(0, count: 3 + (try bits(3)))
            default: lengths += repeatElement(0, count: 11 + (try bits(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount, lengths[256] != 0,
            let literals = HuffmanCode(lengths: Array(lengths[..<literalCount]), allowIncomplete: false),
            let distances = HuffmanCode(lengths: Array(lengths[literalCount...]), allowIncomplete: true)
        else { throw .corrupt }
        return (literals, distances)
    }
}
