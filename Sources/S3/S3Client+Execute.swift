import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SigV4

extension S3Client {
    /// Receives the body of a successful streamed answer (GetObject); called again from scratch on a retry.
    typealias BodySink = @Sendable (HTTPClientResponse) async throws -> Int

    /// Signs and sends `request`, following region hints and retrying transient failures.
    /// Throws `S3Error` for every failure except cancellation.
    func execute(_ request: S3Request, sink: BodySink? = nil) async throws -> S3Response {
        let clock = ContinuousClock()
        let start = clock.now
        var region = try await signingRegion(for: request)
        var attempt = 0
        var followedRegionHint = false
        var refreshedCredentials = false
        var generator = SystemRandomNumberGenerator()
        var logger = self.logger
        logger[metadataKey: "s3.operation"] = "\(request.operation)"
        if let bucket = request.bucket { logger[metadataKey: "s3.bucket"] = "\(bucket)" }
        if let key = request.key { logger[metadataKey: "s3.key"] = "\(key)" }

        while true {
            attempt += 1
            metrics.request(request.operation)
            let attemptStart = clock.now
            let outcome = await attemptOnce(request, region: region, sink: sink, logger: logger)
            metrics.latency(request.operation, clock.now - attemptStart)
            let failure: S3Error
            switch outcome {
            case .success(let response):
                return response
            case .failure(let error):
                failure = error
            }
            if failure.underlying is CancellationError { throw CancellationError() }

            if configuration.region == nil, request.regionOverride == nil, !followedRegionHint,
                let bucket = request.bucket, let hinted = failure.regionHint, hinted != region
            {
                logger.info("bucket is in another region", metadata: ["s3.region": "\(hinted)"])
                state.regions.withLock { $0[bucket] = hinted }
                region = hinted
                followedRegionHint = true
                continue
            }
            if failure.code == .expiredToken || failure.code == .invalidToken, !refreshedCredentials,
                let caching = configuration.credentials as? CachingCredentialsProvider
            {
                await caching.invalidate()
                refreshedCredentials = true
                continue
            }
            if failure.code == .requestTimeTooSkewed, let skew = failure.clockSkew {
                state.clockSkew.withLock { $0 = skew }
            }
            let retryable =
                RetryPolicy.isRetryable(status: failure.httpStatus, code: failure.code)
                || failure.code == .requestTimeTooSkewed
            if retryable, configuration.retry.allowsAttempt(attempt + 1, elapsed: clock.now - start) {
                let delay = configuration.retry.delay(afterAttempt: attempt, using: &generator)
                logger.debug(
                    "retrying S3 request",
                    metadata: [
                        "s3.attempt": "\(attempt)", "s3.error.code": "\(failure.code)",
                        "s3.retry.delay": "\(delay)",
                    ])
                metrics.retry(request.operation)
                try await Task.sleep(for: delay)
                continue
            }
            metrics.error(request.operation, code: failure.code)
            logger.debug(
                "S3 request failed", metadata: ["s3.error.code": "\(failure.code)", "s3.attempts": "\(attempt)"])
            throw failure
        }
    }

    /// The region to sign `request` for.
    func signingRegion(for request: S3Request) async throws -> String {
        if let region = request.regionOverride ?? configuration.region { return region }
        guard let bucket = request.bucket else { return "us-east-1" }
        return try await bucketRegion(bucket)
    }

    /// One attempt: sign, send, read. Transport failures become `.connectionFailed` or `.timedOut`.
    private func attemptOnce(
        _ request: S3Request, region: String, sink: BodySink?, logger: Logger
    ) async -> Result<S3Response, S3Error> {
        do {
            let credentials = try await configuration.credentials.credentials(logger: logger)
            let httpRequest = signedRequest(request, region: region, credentials: credentials)
            let timeout = request.isTransfer ? configuration.timeouts.transfer : configuration.timeouts.request
            let response = try await httpClient.execute(
                httpRequest, timeout: .nanoseconds(RetryPolicy.nanoseconds(timeout)), logger: logger)
            let status = Int(response.status.code)
            if (200..<300).contains(status), let sink {
                let received = try await sink(response)
                metrics.bytes(sent: request.bodyBytes, received: received)
                return .success(S3Response(status: status, headers: response.headers, body: []))
            }
            let body = try await response.body.collect(upTo: configuration.maxResponseBodyBytes)
            metrics.bytes(sent: request.bodyBytes, received: body.readableBytes)
            let result = S3Response(status: status, headers: response.headers, body: Array(buffer: body))
            if let error = responseError(result, for: request, region: region) { return .failure(error) }
            return .success(result)
        } catch let error as S3Error {
            return .failure(error)
        } catch {
            return .failure(transportError(error, request: request))
        }
    }

    /// Builds the signed AsyncHTTPClient request.
    func signedRequest(_ request: S3Request, region: String, credentials: AWSCredentials) -> HTTPClientRequest {
        let endpoint = S3Endpoint.resolve(
            base: baseEndpoint, region: region, bucket: request.bucket, key: request.key,
            addressing: configuration.addressing)
        var headers = request.headers.map { SigningRequest.Header($0.0, $0.1) }
        headers.append(.init("Host", endpoint.hostHeader))
        let signingRequest = SigningRequest(
            method: request.method.rawValue, path: endpoint.path, query: request.query, headers: headers)
        let payload: PayloadHash =
            request.fileBody.map { .sha256Hex($0.sha256Hex) }
            ?? request.body.map { body in body.withUnsafeReadableBytes { PayloadHash.of($0) } } ?? .empty
        let signer = SigV4Signer(credentials: credentials.signing, region: region, service: "s3", paths: .s3)
        let signed = signer.signHeaders(signingRequest, payload: payload, at: timestamp())
        var httpRequest = HTTPClientRequest(url: endpoint.url(query: signingRequest.encodedQuery))
        httpRequest.method = request.method
        for header in headers + signed.addedHeaders { httpRequest.headers.add(name: header.name, value: header.value) }
        if let file = request.fileBody {
            httpRequest.body = .stream(file.chunks, length: .known(file.length))
        } else if let body = request.body {
            httpRequest.body = .bytes(body)
        } else if request.method == .PUT || request.method == .POST {
            httpRequest.headers.replaceOrAdd(name: "Content-Length", value: "0")
        }
        return httpRequest
    }

    /// The error in an answer, or nil when it is a success (or when the caller accepts any status).
    func responseError(_ response: S3Response, for request: S3Request, region: String) -> S3Error? {
        let success = (200..<300).contains(response.status)
        if success && !request.errorMayArriveWith200 { return nil }
        let document = XMLNode.parse(response.body)
        let errorNode = document?.name == "Error" ? document : nil
        if success && errorNode == nil { return nil }
        if !success && request.acceptAnyStatus { return nil }
        let code =
            errorNode?.string("Code").map { S3Error.Code($0) }
            ?? S3Error.codeForBodylessStatus(response.status, hasKey: request.key != nil)
        var error = S3Error.fromResponse(
            code: code, serverMessage: errorNode?.string("Message"), httpStatus: response.status,
            bucket: request.bucket, key: request.key,
            requestID: response.requestID ?? errorNode?.string("RequestId"), operation: request.operation,
            region: RegionHint.region(status: response.status, headers: response.headers, errorBody: errorNode))
        error.regionHint = RegionHint.region(status: response.status, headers: response.headers, errorBody: errorNode)
        if code == .requestTimeTooSkewed, let serverDate = response.headers.first(name: "date"),
            let server = HTTPDate.parse(serverDate)
        {
            error.clockSkew = Int64(server.timeIntervalSince1970 - Date().timeIntervalSince1970)
        }
        return error
    }

    func transportError(_ error: any Error, request: S3Request) -> S3Error {
        if error is CancellationError {
            return S3Error(code: .connectionFailed, message: "cancelled", underlying: error)
        }
        let timedOut: Bool
        if let httpError = error as? HTTPClientError {
            timedOut = [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(httpError)
        } else {
            timedOut = false
        }
        let target = [request.bucket, request.key].compactMap { $0 }.joined(separator: "/")
        return S3Error(
            code: timedOut ? .timedOut : .connectionFailed, bucket: request.bucket, key: request.key,
            message: "\(request.operation) on s3://\(target) got no answer (\(error)). Check that the endpoint is "
                + "reachable; transient network failures are retried.",
            operation: request.operation, underlying: error)
    }
}
