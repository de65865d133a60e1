import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SigV4

/// One S3 call before signing: what to send and how to treat the answer.
struct S3Request: Sendable {
    var operation: String
    var method: HTTPMethod
    var bucket: String?
    var key: String?
    var query: [SigningRequest.QueryItem] = []
    var headers: [(String, String)] = []
    /// In-memory body; re-sent as is on retries.
    var body: ByteBuffer?
    /// A body streamed from a file (re-read on retries), instead of `body`.
    var fileBody: FileBody?
    /// Sign for this region instead of the bucket's (region discovery itself).
    var regionOverride: String?
    /// Return non-2xx answers instead of throwing (region discovery reads headers of 301/403/404 answers).
    var acceptAnyStatus = false
    /// CompleteMultipartUpload and CopyObject can answer 200 with an `<Error>` body.
    var errorMayArriveWith200 = false
    /// Use the transfer timeout (bodies) instead of the request timeout.
    var isTransfer = false

    /// Bytes the body sends.
    var bodyBytes: Int { fileBody.map { Int($0.length) } ?? body?.readableBytes ?? 0 }

    init(operation: String, method: HTTPMethod, bucket: String?, key: String? = nil) {
        self.operation = operation
        self.method = method
        self.bucket = bucket
        self.key = key
    }
}

/// An answer with its body read into memory.
struct S3Response: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var requestID: String? { headers.first(name: "x-amz-request-id") }
    var eTag: String? { headers.first(name: "etag") }
}

/// Reads a region out of an error answer: the `x-amz-bucket-region` header, or `<Region>` in the body.
enum RegionHint {
    static func region(status: Int, headers: HTTPHeaders, errorBody: XMLNode?) -> String? {
        guard [301, 307, 400, 403].contains(status) else { return nil }
        if let header = headers.first(name: "x-amz-bucket-region"), !header.isEmpty { return header }
        return errorBody?.string("Region").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// GetBucketLocation's answer: empty means us-east-1, `EU` is the legacy name of eu-west-1.
    static func fromLocationConstraint(_ value: String?) -> String {
        switch value ?? "" {
        case "": return "us-east-1"
        case "EU": return "eu-west-1"
        default: return value ?? "us-east-1"
        }
    }
}
