import Foundation
import Testing

@testable import Spool

/// Segments adopted from zero-filled spares: records land over the zeros, a clean close trims the unused zeros,
/// and recovery after a crash tells zeros from torn or damaged records.
@Suite struct PreallocationTests {
    static let segmentBytes = 64 << 10

    private func preallocating(_ directory: TemporaryDirectory) -> SpoolConfiguration {
        var settings = configuration(directory)
        settings.preallocate = true
        settings.segmentBytes = Self.segmentBytes
        settings.maxPayloadBytes = 2_000
        settings.maxGroupBytes = 4_000
        return settings
    }

    private func waitForSpare(_ spool: Spool) async throws {
        let preparer = try #require(spool.core.preparer)
        for _ in 0..<1_000 where !preparer.isReady { try await Task.sleep(for: .milliseconds(10)) }
        try #require(preparer.isReady, "no spare segment was prepared within 10 s")
    }

    private func fileSize(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    /// Opens a spool, waits for a spare, appends `count` records of 1,000 bytes; returns the spool still open.
    private func openAndAppend(_ settings: SpoolConfiguration, count: Int) async throws -> (Spool, [SpoolRecord]) {
        let spool = try Spool.open(configuration: settings, logger: quietLogger)
        try await waitForSpare(spool)
        var written: [SpoolRecord] = []
        for index in 0..<count {
            let bytes = payload(1_000, seed: UInt64(index))
            let sequence = try await spool.append(kind: 1, payload: bytes)
            written.append(SpoolRecord(sequence: sequence, kind: 1, payload: bytes))
        }
        return (spool, written)
    }

    /// Copies the spool directory while the spool is open: the files as a crash would leave them.
    private func snapshot(_ directory: TemporaryDirectory) throws -> TemporaryDirectory {
        let copy = try TemporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name != "LOCK" {
            try FileManager.default.copyItem(atPath: directory.path + "/" + name, toPath: copy.path + "/" + name)
        }
        return copy
    }

    @Test func recordsGoIntoAPreparedSegmentAndACleanCloseTrimsItsZeros() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let settings = preallocating(directory)
        let (spool, written) = try await openAndAppend(settings, count: 10)
        // The first (plain) segment was replaced by the spare before the first record: one segment, zero-filled
        // to its full size while open.
        let files = try directory.segmentFiles()
        #expect(files.count == 1)
        let active = try #require(files.last)
        #expect(try fileSize(active) == Self.segmentBytes)
        spool.close()
        #expect(try fileSize(active) == SegmentHeader.size + 10 * RecordFraming.encodedSize(payloadCount: 1_000))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter(SegmentPreparer.isSpare).isEmpty)
        let reopened = try Spool.open(configuration: settings, logger: quietLogger)
        defer { reopened.close() }
        #expect(try reopened.records() == written)
    }

    @Test func rollsAcrossManyPreparedSegmentsKeepEveryRecordInOrder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let settings = preallocating(directory)
        let spool = try Spool.open(configuration: settings, logger: quietLogger)
        var written: [SpoolRecord] = []
        for index in 0..<300 {
            if index % 50 == 0 { try await waitForSpare(spool) }
            let bytes = payload(1_000, seed: UInt64(index))
            written.append(
                SpoolRecord(sequence: try await spool.append(kind: 2, payload: bytes), kind: 2, payload: bytes))
        }
        #expect(try spool.records() == written)
        spool.close()
        #expect(try directory.segmentFiles().count >= 4)
        let reopened = try Spool.open(configuration: settings, logger: quietLogger)
        defer { reopened.close() }
        #expect(try reopened.records() == written)
    }

    /// What a crash leaves after `count` acknowledged records: a copy of the directory taken while the spool was
    /// open, with the configuration to open it, its active segment file and the records written.
    private struct Crashed {
        var directory: TemporaryDirectory
        var settings: SpoolConfiguration
        var file: String
        var written: [SpoolRecord]
        /// Where the records end in `file`.
        var end: Int { SegmentHeader.size + written.count * RecordFraming.encodedSize(payloadCount: 1_000) }
    }

    private func crash(_ directory: TemporaryDirectory, count: Int) async throws -> Crashed {
        let settings = preallocating(directory)
        let (spool, written) = try await openAndAppend(settings, count: count)
        let copy = try snapshot(directory)
        spool.close()
        var crashSettings = settings
        crashSettings.directory = copy.path
        let file = try #require(try copy.segmentFiles().last)
        return Crashed(directory: copy, settings: crashSettings, file: file, written: written)
    }

    @Test func afterACrashTheZeroTailIsCutAndAppendsContinue() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let crashed = try await crash(directory, count: 10)
        defer { crashed.directory.remove() }
        #expect(try fileSize(crashed.file) == Self.segmentBytes)
        let recovered = try Spool.open(configuration: crashed.settings, logger: quietLogger)
        defer { recovered.close() }
        #expect(try recovered.records() == crashed.written)
        #expect(try fileSize(crashed.file) == crashed.end)
        let next = try await recovered.append(kind: 3, payload: [7])
        #expect(next == UInt64(crashed.written.count + 1))
    }

    @Test func aTornRecordAmongTheZerosIsCut() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let crashed = try await crash(directory, count: 5)
        defer { crashed.directory.remove() }
        // A group that was being written: its frame and first payload bytes reached the disk, the rest did not.
        var torn: [UInt8] = []
        RecordFraming.append(kind: 1, sequence: 6, payload: payload(1_000, seed: 99), to: &torn)
        var bytes = try readFile(crashed.file)
        bytes.replaceSubrange(crashed.end..<(crashed.end + 300), with: torn.prefix(300))
        try writeFile(crashed.file, bytes)
        let recovered = try Spool.open(configuration: crashed.settings, logger: quietLogger)
        defer { recovered.close() }
        #expect(try recovered.records() == crashed.written)
        #expect(try fileSize(crashed.file) == crashed.end)
    }

    @Test func nonZeroBytesFarBeyondTheRecordsAreStillCorruption() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let crashed = try await crash(directory, count: 5)
        defer { crashed.directory.remove() }
        // More than one group (maxGroupBytes 4,000) after the last good record: could hide acknowledged records.
        var bytes = try readFile(crashed.file)
        bytes[crashed.end + 10_000] = 0x41
        try writeFile(crashed.file, bytes)
        let error = #expect(throws: SpoolError.self) {
            try Spool.open(configuration: crashed.settings, logger: quietLogger)
        }
        #expect(error?.code == .corrupt)
    }

    @Test func leftoverSparesAreDeletedOnOpen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let leftover = directory.path + "/spare-7.tmp"
        try writeFile(leftover, [UInt8](repeating: 0, count: 100))
        var settings = configuration(directory)
        settings.preallocate = false
        let spool = try Spool.open(configuration: settings, logger: quietLogger)
        defer { spool.close() }
        #expect(!FileManager.default.fileExists(atPath: leftover))
    }
}
