import Foundation
import Testing

@testable import Spool

/// Cuts or corrupts the last record at every byte offset: recovery must keep exactly the records before it, and
/// the spool must go on appending after them.
@Suite struct RecoveryTests {
    static let payloadSizes = [10, 0, 300, 7, 45]

    /// Writes the records, closes, and returns the segment file, its bytes, and where the last record starts.
    private func writeRecords(_ directory: TemporaryDirectory) async throws -> (
        file: String, bytes: [UInt8], lastStart: Int
    ) {
        let spool = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        for (index, size) in Self.payloadSizes.enumerated() {
            let sequence = try await spool.append(kind: UInt8(index), payload: payload(size, seed: UInt64(index)))
            #expect(sequence == UInt64(index + 1))
        }
        spool.close()
        let file = try #require(try directory.segmentFiles().first)
        let bytes = try readFile(file)
        let lastSize = RecordFraming.encodedSize(payloadCount: Self.payloadSizes[Self.payloadSizes.count - 1])
        return (file, bytes, bytes.count - lastSize)
    }

    private var expectedSurvivors: [SpoolRecord] {
        Self.payloadSizes.dropLast().enumerated().map { index, size in
            SpoolRecord(sequence: UInt64(index + 1), kind: UInt8(index), payload: payload(size, seed: UInt64(index)))
        }
    }

    /// Opens the damaged spool, checks that exactly the first N-1 records replay, appends one record, and checks
    /// after another reopen that the survivors and the new record are all there.
    private func checkRecovery(_ directory: TemporaryDirectory, _ label: String) async throws {
        let survivors = expectedSurvivors
        let spool = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        #expect(try spool.records() == survivors, "\(label)")
        let fresh: [UInt8] = Array("after recovery".utf8)
        let sequence = try await spool.append(kind: 9, payload: fresh)
        #expect(sequence == UInt64(survivors.count + 1), "\(label)")
        spool.close()
        let reopened = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        defer { reopened.close() }
        #expect(
            try reopened.records() == survivors + [SpoolRecord(sequence: sequence, kind: 9, payload: fresh)], "\(label)"
        )
    }

    /// Puts the damaged first segment back as the only one (each open starts a new segment for its appends).
    private func restore(_ directory: TemporaryDirectory, _ file: String, _ bytes: [UInt8]) throws {
        for other in try directory.segmentFiles() where other != file {
            try FileManager.default.removeItem(atPath: other)
        }
        try writeFile(file, bytes)
    }

    @Test func truncatingTheLastRecordAtEveryOffsetKeepsTheOthers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (file, bytes, lastStart) = try await writeRecords(directory)
        for cut in lastStart..<bytes.count {
            try restore(directory, file, Array(bytes[..<cut]))
            try await checkRecovery(directory, "cut at \(cut)")
            #expect(try readFile(file).count == lastStart, "cut at \(cut): the torn record is cut off")
        }
    }

    @Test func corruptingAnyByteOfTheLastRecordCutsOnlyIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (file, bytes, lastStart) = try await writeRecords(directory)
        for position in lastStart..<bytes.count {
            var damaged = bytes
            damaged[position] ^= 0x5A
            try restore(directory, file, damaged)
            try await checkRecovery(directory, "flipped byte \(position)")
        }
    }

    @Test func corruptionInAnOlderSegmentIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var settings = configuration(directory)
        settings.segmentBytes = 200
        let spool = try Spool.open(configuration: settings, logger: quietLogger)
        for index in 0..<10 { _ = try await spool.append(kind: 1, payload: payload(100, seed: UInt64(index))) }
        spool.close()
        let files = try directory.segmentFiles()
        #expect(files.count >= 3)
        var bytes = try readFile(files[0])
        bytes[SegmentHeader.size + 20] ^= 1
        try writeFile(files[0], bytes)
        let error = #expect(throws: SpoolError.self) { try Spool.open(configuration: settings, logger: quietLogger) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("truncate") == true)
    }

    @Test func corruptionFollowedByMoreThanOneGroupIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var settings = configuration(directory)
        settings.maxPayloadBytes = 100
        settings.maxGroupBytes = 1000
        let spool = try Spool.open(configuration: settings, logger: quietLogger)
        for index in 0..<30 { _ = try await spool.append(kind: 1, payload: payload(100, seed: UInt64(index))) }
        spool.close()
        let file = try #require(try directory.segmentFiles().first)
        var bytes = try readFile(file)
        bytes[SegmentHeader.size + 5] ^= 1  // first record: 29 good records (3.4 KB) follow it
        try writeFile(file, bytes)
        let error = #expect(throws: SpoolError.self) { try Spool.open(configuration: settings, logger: quietLogger) }
        #expect(error?.code == .corrupt)
    }

    @Test func aTornHeaderOfANewSegmentIsRewritten() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let spool = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        let first = try await spool.append(kind: 1, payload: [1, 2, 3])
        spool.close()
        let torn = directory.path + "/" + SegmentHeader.fileName(firstSequence: 2)
        try writeFile(torn, Array(SegmentHeader(firstSequence: 2).encoded().prefix(7)))
        let reopened = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        defer { reopened.close() }
        let second = try await reopened.append(kind: 1, payload: [4])
        #expect(first == 1 && second == 2)
        #expect(try reopened.records().map(\.sequence) == [1, 2])
        #expect(try directory.segmentFiles().count == 2)
    }

    @Test func aSecondSpoolOnTheSameDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let spool = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        let error = #expect(throws: SpoolError.self) {
            try Spool.open(configuration: configuration(directory), logger: quietLogger)
        }
        #expect(error?.code == .locked)
        spool.close()
        try Spool.open(configuration: configuration(directory), logger: quietLogger).close()
    }
}
