import Foundation
import SigV4

/// Where a request goes: scheme, host, port and path for a bucket and key, in path or virtual-hosted style.
///
/// Pure: built from the configured endpoint (or AWS's regional endpoint) and the region.
struct S3Endpoint: Sendable, Hashable {
    var scheme: String
    var host: String
    var port: Int?
    /// The percent-encoded path, starting with `/`.
    var path: String

    /// The `Host` header value (the port only when it is not the scheme's default).
    var hostHeader: String {
        guard let port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) else { return host }
        return "\(host):\(port)"
    }

    func url(query: String) -> String {
        "\(scheme)://\(hostHeader)\(path)" + (query.isEmpty ? "" : "?" + query)
    }

    /// Resolves the endpoint for `bucket`/`key` in `region`.
    static func resolve(
        base: BaseEndpoint?, region: String, bucket: String?, key: String?, addressing: S3Client.Addressing
    ) -> S3Endpoint {
        let scheme = base?.scheme ?? "https"
        let baseHost = base?.host ?? awsHost(region: region)
        let basePath = base?.path ?? ""
        let keyPath = key.map { "/" + URIEncoding.encodeKeyPath($0) } ?? ""
        guard let bucket else {
            return S3Endpoint(scheme: scheme, host: baseHost, port: base?.port, path: basePath + "/")
        }
        if useVirtualHost(bucket: bucket, scheme: scheme, custom: base != nil, addressing: addressing) {
            let path = basePath + (keyPath.isEmpty ? "/" : keyPath)
            return S3Endpoint(scheme: scheme, host: "\(bucket).\(baseHost)", port: base?.port, path: path)
        }
        let path = basePath + "/" + URIEncoding.encode(bucket) + keyPath
        return S3Endpoint(scheme: scheme, host: baseHost, port: base?.port, path: path)
    }

    static func awsHost(region: String) -> String {
        region.hasPrefix("cn-") ? "s3.\(region).amazonaws.com.cn" : "s3.\(region).amazonaws.com"
    }

    /// `.auto` uses virtual-hosted style on AWS for DNS-compatible names (no dots over TLS, where the wildcard
    /// certificate would not match) and path style on custom endpoints (MinIO, Ceph, moto).
    static func useVirtualHost(bucket: String, scheme: String, custom: Bool, addressing: S3Client.Addressing) -> Bool {
        switch addressing {
        case .path: return false
        case .virtualHosted: return true
        case .auto:
            guard !custom, isDNSCompatible(bucket) else { return false }
            return !(scheme == "https" && bucket.contains("."))
        }
    }

    static func isDNSCompatible(_ bucket: String) -> Bool {
        guard (3...63).contains(bucket.utf8.count), bucket.lowercased() == bucket else { return false }
        guard let first = bucket.first, let last = bucket.last, first.isLetter || first.isNumber,
            last.isLetter || last.isNumber
        else { return false }
        return bucket.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }
            && !bucket.contains("..")
    }

    /// A parsed custom endpoint (`http://127.0.0.1:9000`, `https://bucket.vpce-123.s3.eu-west-1.vpce.amazonaws.com`).
    struct BaseEndpoint: Sendable, Hashable {
        var scheme: String
        var host: String
        var port: Int?
        var path: String

        init?(_ text: String) {
            guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
                scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
            else { return nil }
            self.scheme = scheme
            self.host = host
            self.port = components.port
            let path = components.percentEncodedPath
            self.path = path.hasSuffix("/") ? String(path.dropLast()) : path
        }
    }
}
