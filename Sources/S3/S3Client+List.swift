import NIOCore
import SigV4

/// One object in a listing.
public struct ObjectSummary: Sendable, Hashable {
    public var key: String
    public var size: Int64
    public var eTag: String
    public var lastModified: String
    public var storageClass: String?
}

/// One page of ListObjectsV2.
public struct ListObjectsPage: Sendable, Hashable {
    public var objects: [ObjectSummary]
    /// Groups of keys rolled up at the delimiter (`prefix/segment-logs/src/` ...).
    public var commonPrefixes: [String]
    /// Pass to the next call; nil when this was the last page.
    public var nextContinuationToken: String?
    public var isTruncated: Bool
}

extension S3Client {
    /// One page of ListObjectsV2. Keys come back URL-encoded on the wire (`encoding-type=url`) so any byte
    /// survives XML, and are decoded here.
    public func listObjectsV2(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, continuationToken: String? = nil,
        maxKeys: Int? = nil
    ) async throws -> ListObjectsPage {
        var request = S3Request(operation: "ListObjectsV2", method: .GET, bucket: bucket)
        request.query = [.init("list-type", "2"), .init("encoding-type", "url")]
        if let prefix { request.query.append(.init("prefix", prefix)) }
        if let delimiter { request.query.append(.init("delimiter", delimiter)) }
        if let continuationToken { request.query.append(.init("continuation-token", continuationToken)) }
        if let maxKeys { request.query.append(.init("max-keys", String(maxKeys))) }
        let response = try await execute(request)
        guard let root = XMLNode.parse(response.body), root.name == "ListBucketResult" else {
            throw invalidResponse(response, request)
        }
        let encoded = root.string("EncodingType") == "url"
        let decode = { (text: String) in encoded ? URIEncoding.decode(text, plusAsSpace: true) : text }
        let objects = root.all("Contents").map { node in
            ObjectSummary(
                key: decode(node.string("Key") ?? ""), size: Int64(node.string("Size") ?? "") ?? 0,
                eTag: Self.unquote(node.string("ETag") ?? ""), lastModified: node.string("LastModified") ?? "",
                storageClass: node.string("StorageClass"))
        }
        let isTruncated = root.string("IsTruncated") == "true"
        return ListObjectsPage(
            objects: objects, commonPrefixes: root.all("CommonPrefixes").compactMap { $0.string("Prefix") }.map(decode),
            nextContinuationToken: isTruncated ? root.string("NextContinuationToken") : nil, isTruncated: isTruncated)
    }

    /// Every object and common prefix under `prefix`, paging through ListObjectsV2.
    public func listAllObjects(
        bucket: String, prefix: String? = nil, delimiter: String? = nil
    ) async throws -> (objects: [ObjectSummary], commonPrefixes: [String]) {
        var objects: [ObjectSummary] = []
        var prefixes: [String] = []
        var token: String?
        repeat {
            let page = try await listObjectsV2(
                bucket: bucket, prefix: prefix, delimiter: delimiter, continuationToken: token)
            objects += page.objects
            prefixes += page.commonPrefixes
            token = page.nextContinuationToken
        } while token != nil
        return (objects, prefixes)
    }

    func invalidResponse(_ response: S3Response, _ request: S3Request) -> S3Error {
        S3Error(
            code: .invalidResponse, httpStatus: response.status, bucket: request.bucket, key: request.key,
            requestID: response.requestID,
            message: "\(request.operation) answered with a body that is not the expected XML; is the endpoint an "
                + "S3 server?", operation: request.operation)
    }
}
