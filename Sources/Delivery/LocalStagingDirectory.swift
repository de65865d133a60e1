import Foundation
import NIOPosix

/// The embedded default's staging store: the directory the pipeline moves closed batches into
/// (`{data-dir}/bucket/segment-logs/{source}/{day}/{file}.gz`). Read without copying: uploads read the staged
/// file itself. File system calls run on NIO's blocking thread pool, never on the cooperative pool.
public struct LocalStagingDirectory: StagingArea {
    public let root: String
    let threadPool: NIOThreadPool

    public init(root: String, threadPool: NIOThreadPool = .singleton) {
        self.root = root
        self.threadPool = threadPool
    }

    public func list() async throws(DeliveryError) -> [StagedObject] {
        let base = root + "/segment-logs"
        return try await blocking { () throws(DeliveryError) in
            var found: [StagedObject] = []
            let files = FileManager.default
            guard files.fileExists(atPath: base) else { return [] }
            for source in try Self.entries(base) {
                for day in try Self.entries(base + "/" + source) {
                    for name in try Self.entries(base + "/" + source + "/" + day)
                    where name.hasSuffix(".gz") && !name.hasPrefix(".") {
                        let path = [base, source, day, name].joined(separator: "/")
                        guard let attributes = try? files.attributesOfItem(atPath: path),
                            (attributes[.type] as? FileAttributeType) == .typeRegular,
                            let size = (attributes[.size] as? NSNumber)?.int64Value
                        else { continue }
                        found.append(StagedObject(key: "segment-logs/\(source)/\(day)/\(name)", size: size))
                    }
                }
            }
            return found.sorted { $0.key < $1.key }
        }
    }

    public func withLocalFile<Result: Sendable>(
        key: String, _ body: (String) async throws(DeliveryError) -> Result
    ) async throws(DeliveryError) -> Result {
        try Self.validate(key)
        return try await body(root + "/" + key)
    }

    public func delete(key: String) async throws(DeliveryError) {
        try Self.validate(key)
        let path = root + "/" + key
        try await blocking { () throws(DeliveryError) in
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw DeliveryError(.staging, "cannot delete staged file \(path): \(error)", underlying: error)
            }
        }
    }

    static func entries(_ path: String) throws(DeliveryError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return []
        }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw DeliveryError(.staging, "cannot list staged files in \(path); check permissions", underlying: error)
        }
    }

    /// Keys become paths: only `segment-logs/…` keys of non-empty segments other than `.` and `..`.
    static func validate(_ key: String) throws(DeliveryError) {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.first == "segment-logs", !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
        else { throw DeliveryError(.staging, "'\(key.prefix(200))' is not a staged batch key") }
    }

    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws(DeliveryError) -> T) async throws(DeliveryError)
        -> T
    {
        do {
            return try await threadPool.runIfActive { try body() }
        } catch let error as DeliveryError {
            throw error
        } catch {
            throw DeliveryError(.staging, "the staging thread pool is not running", underlying: error)
        }
    }
}
