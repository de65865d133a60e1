/// Signs requests with AWS Signature Version 4, in the `Authorization` header or in the query string
/// (presigned URLs). Pure: the timestamp is an argument and nothing is read from the environment.
///
/// ```swift
/// let signer = SigV4Signer(credentials: credentials, region: "eu-west-1", service: "s3", paths: .s3)
/// let signed = signer.signHeaders(request, payload: .of(body), at: SigV4Timestamp(secondsSince1970: now))
/// // send request.headers + signed.addedHeaders
/// ```
public struct SigV4Signer: Sendable {
    public var credentials: SigV4Credentials
    public var region: String
    public var service: String
    public var paths: PathCanonicalization

    public init(credentials: SigV4Credentials, region: String, service: String, paths: PathCanonicalization) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.paths = paths
    }

    /// Every intermediate value, for tests and for diagnosing `SignatureDoesNotMatch`.
    public struct Stages: Sendable {
        public let canonicalRequest: CanonicalRequest
        public let stringToSign: StringToSign
        public let signature: String
    }

    /// The result of header signing: the headers to add to the request (`X-Amz-Date`, optionally
    /// `X-Amz-Content-SHA256` and `X-Amz-Security-Token`, and `Authorization`).
    public struct SignedHeaders: Sendable {
        public let addedHeaders: [SigningRequest.Header]
        public let stages: Stages
        public var authorization: String {
            addedHeaders.first { $0.name == "Authorization" }?.value ?? ""
        }
    }

    /// Signs in the `Authorization` header.
    /// - Parameters:
    ///   - contentSHA256Header: add `X-Amz-Content-SHA256` (S3 requires it) and sign it.
    ///   - signSessionToken: sign `X-Amz-Security-Token` (true for every service except a few legacy ones);
    ///     when false the token is still added, after signing.
    public func signHeaders(
        _ request: SigningRequest, payload: PayloadHash, at timestamp: SigV4Timestamp,
        contentSHA256Header: Bool = true, signSessionToken: Bool = true
    ) -> SignedHeaders {
        var added: [SigningRequest.Header] = [.init("X-Amz-Date", timestamp.amzDate)]
        if contentSHA256Header { added.append(.init("X-Amz-Content-SHA256", payload.value)) }
        let token = credentials.sessionToken.map { SigningRequest.Header("X-Amz-Security-Token", $0) }
        if let token, signSessionToken { added.append(token) }
        var toSign = request
        toSign.headers += added
        let stages = makeStages(toSign, payload: payload, at: timestamp)
        if let token, !signSessionToken { added.append(token) }
        let scope = CredentialScope(timestamp: timestamp, region: region, service: service)
        added.append(
            .init(
                "Authorization",
                "\(StringToSign.algorithm) Credential=\(credentials.accessKeyID)/\(scope), "
                    + "SignedHeaders=\(stages.canonicalRequest.signedHeaders), Signature=\(stages.signature)"))
        return SignedHeaders(addedHeaders: added, stages: stages)
    }

    func makeStages(_ request: SigningRequest, payload: PayloadHash, at timestamp: SigV4Timestamp) -> Stages {
        let canonical = CanonicalRequest(request, paths: paths, payloadHash: payload)
        let scope = CredentialScope(timestamp: timestamp, region: region, service: service)
        let stringToSign = StringToSign(timestamp: timestamp, scope: scope, canonicalRequest: canonical)
        let key = SigningKey(secretAccessKey: credentials.secretAccessKey, scope: scope)
        return Stages(
            canonicalRequest: canonical, stringToSign: stringToSign, signature: key.signature(for: stringToSign))
    }
}
