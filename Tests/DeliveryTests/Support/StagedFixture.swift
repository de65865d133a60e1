import Catalog
import CatalogSQLite
import Delivery
import Foundation
import Logging
import SluiceTesting
import Storage
import Testing

/// A data directory with a real SQLite catalog, a source, and staged batch files of random bytes.
struct StagedFixture {
    let dir: TemporaryDirectory
    let catalog: SQLiteCatalog
    let source: Source
    let staging: LocalArchiveStore
    var keys: [String] = []
    let logger = Logger(label: "test.delivery")

    init(files: Int, sourceName: String = "web") async throws {
        dir = try TemporaryDirectory("delivery")
        catalog = try await SQLiteCatalog.open(path: dir.path + "/catalog.sqlite", logger: logger)
        source = try await catalog.createSource(name: sourceName, writeKey: nil, nowMilliseconds: 0)
        staging = LocalArchiveStore(root: dir.path + "/bucket")
        for n in 0..<files { try await stage(n) }
    }

    /// Writes staged file number `n`: gzipped NDJSON of `rows(n)` events (the day folder alternates, so the set
    /// spans two received days), and records it in the staged-file ledger as the pipeline does.
    mutating func stage(_ n: Int) async throws {
        let day: Int64 = n % 2 == 0 ? 1_700_006_400_000 : 1_700_092_800_000
        let name = "\(1_700_000_000_000 + Int64(n)).aabbccddeeff.0123456.\(UUID().uuidString.lowercased()).gz"
        let key = "segment-logs/\(source.id)/\(day)/\(name)"
        let path = dir.path + "/bucket/" + key
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var lines = ""
        for row in 0..<Self.rows(n) {
            lines +=
                #"{"event":"Ping","messageId":"m-\#(n)-\#(row)","properties":{"noise":"\#(UUID().uuidString)","row":\#(row)},"type":"track","userId":"u\#(row)"}"#
            lines += "\n"
        }
        let plain = String(path.dropLast(3))
        try lines.write(toFile: plain, atomically: false, encoding: .utf8)
        let (status, output) = try runCommand("/usr/bin/env", ["gzip", "-n", "-f", plain])
        guard status == 0 else { throw TestSupportError("gzip failed: \(output)") }
        let size = Int64(try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
        try await catalog.recordStaged(
            try #require(StagedObject(key: key, size: size).stagedFile(checksum: nil, stagedAtMilliseconds: 0)))
        keys.append(key)
    }

    /// Events in staged file `n`.
    static func rows(_ n: Int) -> Int { 5 + n }

    /// Events in every file staged so far.
    var totalRows: Int { (0..<keys.count).reduce(0) { $0 + Self.rows($1) } }

    func bytes(_ key: String) -> [UInt8]? {
        FileManager.default.contents(atPath: dir.path + "/bucket/" + key).map(Array.init)
    }

    func addDestination(_ bucket: String, encryption: DestinationEncryption = .aes256, enabled: Bool = true)
        async throws
        -> Destination
    {
        let destination = Destination(
            id: Identifiers.newDestinationID(), sourceID: source.id, bucket: bucket, encryption: encryption,
            enabled: enabled, createdAtMilliseconds: 1)
        try await catalog.createDestination(destination)
        return destination
    }

    func runner(_ buckets: [String: MemoryBucket], sleeps: SleepLog = SleepLog(), retention: Retention = .days(nil))
        -> CopyRunner
    {
        let copier = DestinationCopier(
            staging: staging, attempts: 3, backoff: .upload,
            sleep: { ms in await sleeps.record(ms) }, now: { 1_800_000_000_000 }, logger: logger)
        return CopyRunner(
            catalog: catalog, staging: staging, connector: MemoryConnector(buckets: buckets), copier: copier,
            retention: retention, logger: logger)
    }

    /// Runs `body` with a fresh fixture, then closes the catalog and removes the directory, also on failure.
    static func with(files: Int, _ body: (inout StagedFixture) async throws -> Void) async throws {
        var fixture = try await StagedFixture(files: files)
        do {
            try await body(&fixture)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    func close() async {
        await catalog.close()
        dir.remove()
    }
}

/// Records the backoff waits a copier asked for instead of waiting.
actor SleepLog {
    var waits: [Int64] = []
    func record(_ ms: Int64) { waits.append(ms) }
}
