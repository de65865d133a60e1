import Delivery
import Foundation

/// An in-memory bucket for the copier's unit tests, with scriptable failures. The S3 behaviour itself is tested
/// against moto and radosgw in the S3 suites.
actor MemoryBucket: DestinationBucket {
    var objects: [String: [UInt8]] = [:]
    var puts: [String: Int] = [:]
    /// Errors thrown by the next puts, in order.
    var failures: [DeliveryError] = []
    var headDenied = false
    var honoursIfNoneMatch = true
    /// Fails every put with this, when set.
    var alwaysFail: DeliveryError?
    /// How long each put takes (a slow network), when set.
    var putDuration: Duration?
    /// Puts begun, finished or not.
    var putsStarted = 0

    func script(failures: [DeliveryError]) { self.failures = failures }
    func denyHead() { headDenied = true }
    func ignoreConditions() { honoursIfNoneMatch = false }
    func fail(with error: DeliveryError?) { alwaysFail = error }
    func store(_ key: String, _ bytes: [UInt8]) { objects[key] = bytes }
    func slow(_ duration: Duration) { putDuration = duration }

    func put(file path: String, size: Int64, key: String, ifAbsent: Bool) async throws(DeliveryError) -> PutOutcome {
        putsStarted += 1
        if let alwaysFail { throw alwaysFail }
        if !failures.isEmpty { throw failures.removeFirst() }
        if let putDuration { try? await Task.sleep(for: putDuration) }
        if ifAbsent && honoursIfNoneMatch && objects[key] != nil { return .alreadyExists }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeliveryError(.staging, "no file at \(path)")
        }
        objects[key] = Array(data)
        puts[key, default: 0] += 1
        return .stored(eTag: "etag-\(data.count)")
    }

    func put(bytes: [UInt8], key: String) async throws(DeliveryError) {
        if let alwaysFail { throw alwaysFail }
        objects[key] = bytes
    }

    func head(key: String) async throws(DeliveryError) -> RemoteObject? {
        if headDenied { throw DeliveryError(.accessDenied, "AccessDenied") }
        return objects[key].map { RemoteObject(size: Int64($0.count), eTag: nil) }
    }

    func delete(key: String) async throws(DeliveryError) { objects[key] = nil }
}

/// Hands out a `MemoryBucket` per bucket name.
struct MemoryConnector: DestinationConnector {
    let buckets: [String: MemoryBucket]

    func bucket(for target: DestinationTarget) async throws(DeliveryError) -> any DestinationBucket {
        guard let bucket = buckets[target.address.bucket] else {
            throw DeliveryError(.noSuchBucket, "NoSuchBucket")
        }
        return bucket
    }
}
