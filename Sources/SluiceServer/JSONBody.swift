import Hummingbird
import NIOCore

/// Builds the small JSON bodies the API answers with, without Foundation's encoder on the hot path.
enum JSONBody {
    static let success = ByteBuffer(string: #"{"success":true}"#)

    /// `{"code":"…","message":"…"}`.
    static func error(code: String, message: String) -> ByteBuffer {
        var out = #"{"code":"# + quoted(code) + #","message":"# + quoted(message) + "}"
        out.reserveCapacity(0)
        return ByteBuffer(string: out)
    }

    /// A JSON string literal for `text`.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func response(_ status: HTTPResponse.Status, _ body: ByteBuffer, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }

    static func errorResponse(
        _ status: HTTPResponse.Status, code: String, message: String, retryAfterSeconds: Int? = nil
    ) -> Response {
        var headers: HTTPFields = [:]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return response(status, error(code: code, message: message), headers: headers)
    }
}
