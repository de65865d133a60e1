import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SigV4

/// The two STS calls the credentials providers need (query protocol, form-encoded POST).
struct STSClient: Sendable {
    let httpClient: HTTPClient
    /// `https://sts.{region}.amazonaws.com` unless overridden (moto, a VPC endpoint).
    let endpoint: String
    let region: String

    init(httpClient: HTTPClient, endpoint: String?, region: String?) {
        self.httpClient = httpClient
        let region = region ?? "us-east-1"
        self.region = region
        self.endpoint = endpoint ?? "https://sts.\(region).amazonaws.com"
    }

    /// The form body of an AssumeRole call (pure, for tests).
    static func assumeRoleForm(roleARN: String, sessionName: String, externalID: String?, duration: Int) -> String {
        var items: [SigningRequest.QueryItem] = [
            .init("Action", "AssumeRole"), .init("Version", "2011-06-15"), .init("RoleArn", roleARN),
            .init("RoleSessionName", sessionName), .init("DurationSeconds", String(duration)),
        ]
        if let externalID { items.append(.init("ExternalId", externalID)) }
        return form(items)
    }

    static func webIdentityForm(roleARN: String, sessionName: String, token: String, duration: Int) -> String {
        form([
            .init("Action", "AssumeRoleWithWebIdentity"), .init("Version", "2011-06-15"), .init("RoleArn", roleARN),
            .init("RoleSessionName", sessionName), .init("WebIdentityToken", token),
            .init("DurationSeconds", String(duration)),
        ])
    }

    static func form(_ items: [SigningRequest.QueryItem]) -> String {
        items.map { URIEncoding.encode($0.name) + "=" + URIEncoding.encode($0.value) }.joined(separator: "&")
    }

    /// Posts `form`, signed with `credentials` when given, and returns the `Credentials` element of the result.
    func call(action: String, form: String, credentials: AWSCredentials?, logger: Logger) async throws
        -> AWSCredentials
    {
        guard let base = S3Endpoint.BaseEndpoint(endpoint) else {
            throw S3Error(code: .invalidConfiguration, message: "STS endpoint \"\(endpoint)\" is not a URL.")
        }
        let host = S3Endpoint(scheme: base.scheme, host: base.host, port: base.port, path: base.path + "/")
        var headers: [SigningRequest.Header] = [
            .init("Host", host.hostHeader), .init("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ]
        if let credentials {
            let signer = SigV4Signer(
                credentials: credentials.signing, region: region, service: "sts", paths: .doubleEncoded(normalize: true)
            )
            let request = SigningRequest(method: "POST", path: host.path, headers: headers)
            let now = SigV4Timestamp(secondsSince1970: Int64(Date().timeIntervalSince1970))
            headers +=
                signer.signHeaders(
                    request, payload: .of(Array(form.utf8)), at: now, contentSHA256Header: false
                ).addedHeaders
        }
        var request = HTTPClientRequest(url: host.url(query: ""))
        request.method = .POST
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(string: form))
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await httpClient.execute(request, timeout: .seconds(30), logger: logger)
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw S3Error(
                code: .connectionFailed, message: "\(action) could not reach STS at \(endpoint): \(error)",
                operation: action, underlying: error)
        }
        let document = XMLNode.parse(Array(buffer: body))
        guard response.status == .ok, let result = document?.child("\(action)Result")?.child("Credentials"),
            let id = result.string("AccessKeyId"), let secret = result.string("SecretAccessKey")
        else {
            let error = document?.first(named: "Error")
            let code = S3Error.Code(error?.string("Code") ?? "HTTP\(response.status.code)")
            throw S3Error(
                code: code, httpStatus: Int(response.status.code), requestID: document?.first(named: "RequestId")?.text,
                message: "STS \(action) failed: \(error?.string("Message") ?? "unexpected answer"). "
                    + (action == "AssumeRole"
                        ? "Check that the role's trust policy allows these credentials and that the external id matches."
                        : "Check the role ARN and the token."),
                operation: action)
        }
        return AWSCredentials(
            accessKeyID: id, secretAccessKey: secret, sessionToken: result.string("SessionToken"),
            expiration: result.string("Expiration").flatMap(HTTPDate.parseISO8601))
    }
}
