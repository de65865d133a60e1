import NIOCore

extension S3Client {
    /// Deletes up to 1,000 keys in one request; returns the keys S3 could not delete with their error codes.
    @discardableResult
    public func deleteObjects(bucket: String, keys: [String]) async throws -> [(key: String, code: S3Error.Code)] {
        var failed: [(key: String, code: S3Error.Code)] = []
        for start in stride(from: 0, to: keys.count, by: 1000) {
            let batch = keys[start..<min(start + 1000, keys.count)]
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>true</Quiet>"
            for key in batch { xml += "<Object><Key>\(XMLNode.escape(key))</Key></Object>" }
            xml += "</Delete>"
            var request = S3Request(operation: "DeleteObjects", method: .POST, bucket: bucket)
            request.query = [.init("delete")]
            request.body = ByteBuffer(string: xml)
            request.headers = [("Content-Type", "application/xml")]
            if let md5 = Self.md5Header(.computed, body: ByteBuffer(string: xml)) {
                request.headers.append(("Content-MD5", md5))
            }
            let response = try await execute(request)
            for node in XMLNode.parse(response.body)?.all("Error") ?? [] {
                failed.append((node.string("Key") ?? "", S3Error.Code(node.string("Code") ?? "Unknown")))
            }
        }
        return failed
    }

    /// HeadBucket: succeeds when the bucket exists and these credentials may use it.
    /// Throws `.noSuchBucket` or `.accessDenied` otherwise.
    public func headBucket(_ bucket: String) async throws {
        _ = try await execute(S3Request(operation: "HeadBucket", method: .HEAD, bucket: bucket))
    }

    /// GetBucketLocation, normalized to a region name (`null`/empty is us-east-1, `EU` is eu-west-1).
    public func bucketLocation(_ bucket: String) async throws -> String {
        var request = S3Request(operation: "GetBucketLocation", method: .GET, bucket: bucket)
        request.query = [.init("location")]
        request.regionOverride = configuration.region ?? "us-east-1"
        let response = try await execute(request)
        guard let root = XMLNode.parse(response.body), root.name == "LocationConstraint" else {
            throw invalidResponse(response, request)
        }
        return RegionHint.fromLocationConstraint(root.text)
    }

    /// The bucket's region: the configured region if there is one, else discovered once and cached: from
    /// `x-amz-bucket-region` on a HeadBucket signed for us-east-1 (AWS sends it even on 301 and 403), and
    /// failing that from GetBucketLocation.
    public func bucketRegion(_ bucket: String) async throws -> String {
        if let region = configuration.region { return region }
        if let cached = state.regions.withLock({ $0[bucket] }) { return cached }
        var probe = S3Request(operation: "HeadBucket", method: .HEAD, bucket: bucket)
        probe.regionOverride = "us-east-1"
        probe.acceptAnyStatus = true
        let response = try await execute(probe)
        let region: String
        if let header = response.headers.first(name: "x-amz-bucket-region"), !header.isEmpty {
            region = header
        } else if response.status == 404 {
            throw S3Error.fromResponse(
                code: .noSuchBucket, serverMessage: nil, httpStatus: 404, bucket: bucket, key: nil,
                requestID: response.requestID, operation: "HeadBucket", region: nil)
        } else {
            region = try await bucketLocation(bucket)
        }
        logger.debug("bucket region discovered", metadata: ["s3.bucket": "\(bucket)", "s3.region": "\(region)"])
        state.regions.withLock { $0[bucket] = region }
        return region
    }
}

extension S3Client {
    /// CreateBucket; `region` other than us-east-1 is sent as the LocationConstraint. For test fixtures and
    /// staging buckets; Sluice never creates customer buckets.
    public func createBucket(_ bucket: String, region: String? = nil) async throws {
        var request = S3Request(operation: "CreateBucket", method: .PUT, bucket: bucket)
        let location = region ?? configuration.region ?? "us-east-1"
        request.regionOverride = location
        if location != "us-east-1" {
            let xml =
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<LocationConstraint>\(XMLNode.escape(location))</LocationConstraint></CreateBucketConfiguration>"
            request.body = ByteBuffer(string: xml)
        }
        _ = try await execute(request)
        if configuration.region == nil { state.regions.withLock { $0[bucket] = location } }
    }
}
