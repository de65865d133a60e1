import Deflate
import Hummingbird
import NIOCore

/// A request body that cannot be read: too large, or an encoding that does not decode.
struct BodyError: Error {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    /// The rest of the body is not read: the answer closes the connection.
    var closesConnection = false
    var underlying: (any Error)? = nil
}

extension TrackingAPI {
    /// Collects the body (bounded), and gunzips it when `Content-Encoding: gzip`, bounded again: a gzip bomb
    /// fails with 413 after at most the limit's worth of memory.
    ///
    /// A declared `Content-Length` over the limit is refused before a byte of the body is read (the connection guard
    /// then sends no `100 Continue`), and so is a body that grows past it; either answer closes the connection.
    /// A body that cannot be read (broken chunked framing, a stream cut off before its declared length) is the
    /// client's fault: 400 `invalid_body`, never a 503 that SDKs would retry forever.
    func readBody(_ request: Request) async throws -> [UInt8] {
        let tooLarge = BodyError(
            status: .contentTooLarge, code: "payload_too_large",
            message: "the request body exceeds \(maxWireBytes) bytes; send at most 500 KB per batch and 32 KB per "
                + "event",
            closesConnection: true)
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > maxWireBytes { throw tooLarge }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxWireBytes)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        } catch {
            throw BodyError(
                status: .badRequest, code: "invalid_body",
                message: "the request body could not be read (malformed chunked encoding or a cut-off stream); "
                    + "send the complete body", closesConnection: true, underlying: error)
        }
        if let declared, buffer.readableBytes != declared {
            throw BodyError(
                status: .badRequest, code: "invalid_body",
                message: "the request body ended after \(buffer.readableBytes) of its \(declared) declared bytes; "
                    + "send the complete body", closesConnection: true)
        }
        let raw = Array(buffer.readableBytesView)
        let encoding =
            request.headers[.contentEncoding]?.lowercased().trimmingCharacters(in: .whitespaces) ?? "identity"
        switch encoding {
        case "", "identity":
            return raw
        case "gzip", "x-gzip":
            do {
                return try Gzip.decompress(raw, maxOutputBytes: limits.maxBatchRequestBytes + 1)
            } catch {
                switch error.code {
                case .tooLarge:
                    throw BodyError(
                        status: .contentTooLarge, code: "payload_too_large",
                        message:
                            "the gzip body decompresses to more than \(limits.maxBatchRequestBytes) bytes; send smaller batches"
                    )
                case .truncated:
                    throw BodyError(
                        status: .badRequest, code: "invalid_gzip",
                        message: "the gzip body is truncated; send the complete compressed body")
                default:
                    throw BodyError(
                        status: .badRequest, code: "invalid_gzip",
                        message: "the body is not valid gzip although Content-Encoding says gzip")
                }
            }
        default:
            throw BodyError(
                status: .unsupportedMediaType, code: "unsupported_encoding",
                message: "Content-Encoding '\(encoding.prefix(40))' is not supported; send gzip or no encoding")
        }
    }
}
