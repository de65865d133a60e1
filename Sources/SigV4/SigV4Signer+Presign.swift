extension SigV4Signer {
    /// The result of query signing: the query items to send (the request's own, then the `X-Amz-*` ones with
    /// `X-Amz-Signature` last) and the stages.
    public struct PresignedQuery: Sendable {
        public let query: [SigningRequest.QueryItem]
        public let stages: Stages
        /// The encoded query string to put after `?`.
        public var encoded: String {
            query.map { URIEncoding.encode($0.name) + "=" + URIEncoding.encode($0.value) }.joined(separator: "&")
        }
    }

    /// Signs in the query string (a presigned URL) valid for `expires` seconds. Every header of `request`
    /// (at least `Host`) is signed. S3 presigned URLs use `payload: .unsigned`.
    public func presign(
        _ request: SigningRequest, expires: Int, payload: PayloadHash = .unsigned, at timestamp: SigV4Timestamp,
        signSessionToken: Bool = true
    ) -> PresignedQuery {
        let scope = CredentialScope(timestamp: timestamp, region: region, service: service)
        var toSign = request
        let signedHeaders = CanonicalRequest(request, paths: paths, payloadHash: payload).signedHeaders
        var authQuery: [SigningRequest.QueryItem] = [
            .init("X-Amz-Algorithm", StringToSign.algorithm),
            .init("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"),
            .init("X-Amz-Date", timestamp.amzDate),
            .init("X-Amz-Expires", String(expires)),
            .init("X-Amz-SignedHeaders", signedHeaders),
        ]
        let token = credentials.sessionToken.map { SigningRequest.QueryItem("X-Amz-Security-Token", $0) }
        if let token, signSessionToken { authQuery.append(token) }
        toSign.query += authQuery
        let stages = makeStages(toSign, payload: payload, at: timestamp)
        if let token, !signSessionToken { authQuery.append(token) }
        authQuery.append(.init("X-Amz-Signature", stages.signature))
        return PresignedQuery(query: request.query + authQuery, stages: stages)
    }
}
