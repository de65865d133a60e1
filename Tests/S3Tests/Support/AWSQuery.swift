import AsyncHTTPClient
import Foundation
import NIOCore
import S3
import SigV4

/// A signed AWS query-protocol call (IAM, STS) for test fixtures: creating users, keys and roles in moto.
enum AWSQuery {
    static func call(
        endpoint: String, service: String, credentials: AWSCredentials, _ parameters: [(String, String)]
    ) async throws -> String {
        let form = parameters.map { URIEncoding.encode($0.0) + "=" + URIEncoding.encode($0.1) }.joined(separator: "&")
        let host = endpoint.replacingOccurrences(of: "http://", with: "")
        let request = SigningRequest(
            method: "POST", path: "/",
            headers: [.init("Host", host), .init("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")])
        let signer = SigV4Signer(
            credentials: credentials.signing, region: "us-east-1", service: service,
            paths: .doubleEncoded(normalize: true))
        let signed = signer.signHeaders(
            request, payload: .of(Array(form.utf8)),
            at: SigV4Timestamp(secondsSince1970: Int64(Date().timeIntervalSince1970)), contentSHA256Header: false)
        var httpRequest = HTTPClientRequest(url: endpoint + "/")
        httpRequest.method = .POST
        for header in request.headers + signed.addedHeaders {
            httpRequest.headers.add(name: header.name, value: header.value)
        }
        httpRequest.body = .bytes(ByteBuffer(string: form))
        let response = try await testHTTPClient.execute(httpRequest, timeout: .seconds(30))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        guard response.status == .ok else { throw FixtureError("\(service) call failed: \(body)") }
        return body
    }

    /// The text of the first `<name>` element in `xml`.
    static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"),
            let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[start.upperBound..<end.lowerBound])
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
