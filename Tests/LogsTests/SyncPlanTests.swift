import ArchiveFormat
import Testing

@testable import Logs

@Suite struct SyncPlanTests {
    let day = ReceivedDay(containing: 1_795_478_400_000)
    let md5 = "0123456789abcdef0123456789abcdef"

    func file(_ name: String, size: Int64 = 100, eTag: String? = nil) -> LogFile {
        LogFile(day: day, name: name, key: "segment-logs/src/\(day.folderName)/\(name)", size: size, eTag: eTag ?? md5)
    }

    @Test func downloadsMissingAndSkipsJournaled() {
        var journal = SyncJournal()
        journal.record(.init(path: "1795478400000/a.gz", remoteSize: 100, eTag: md5, localSize: 100))
        let plan = SyncPlan(
            files: [file("b.gz"), file("a.gz")], journal: journal, localSizes: ["1795478400000/a.gz": 100],
            decompress: false)
        #expect(plan.items.map(\.target) == ["1795478400000/a.gz", "1795478400000/b.gz"])
        #expect(plan.items.map(\.action) == [.skip, .download])
    }

    @Test func changedObjectOrLocalFileIsDownloadedAgain() {
        var journal = SyncJournal()
        journal.record(.init(path: "1795478400000/a.gz", remoteSize: 100, eTag: "old", localSize: 100))
        journal.record(.init(path: "1795478400000/b.gz", remoteSize: 100, eTag: md5, localSize: 100))
        let plan = SyncPlan(
            files: [file("a.gz"), file("b.gz")], journal: journal,
            localSizes: ["1795478400000/a.gz": 100, "1795478400000/b.gz": 99], decompress: false)
        #expect(plan.items.map(\.action) == [.download, .download])
    }

    @Test func unjournaledFileOfTheRightSizeIsVerifiedByMD5OnlyForPlainETags() {
        let plan = SyncPlan(
            files: [file("a.gz"), file("b.gz", eTag: "9b2cf535f27731c974343645a3985328-2"), file("c.gz")],
            journal: SyncJournal(),
            localSizes: ["1795478400000/a.gz": 100, "1795478400000/b.gz": 100, "1795478400000/c.gz": 7],
            decompress: false)
        #expect(plan.items.map(\.action) == [.verify(md5: md5), .download, .download])
    }

    @Test func decompressWritesNDJSONNamesAndNeverVerifiesByMD5() {
        let plan = SyncPlan(
            files: [file("a.gz"), file("notes.txt")], journal: SyncJournal(),
            localSizes: ["1795478400000/a.ndjson": 100], decompress: true)
        #expect(plan.items.map(\.target) == ["1795478400000/a.ndjson", "1795478400000/notes.txt"])
        #expect(plan.items.map(\.action) == [.download, .download])
    }

    @Test(arguments: ["../x.gz", "a//b.gz", "./a.gz", ".sluice/journal.tsv", "a\\b.gz", ""])
    func unsafeNamesAreNeverWritten(name: String) {
        let plan = SyncPlan(files: [file(name)], journal: SyncJournal(), localSizes: [:], decompress: false)
        #expect(plan.items.isEmpty)
        #expect(plan.unsafeNames.count == 1)
    }

    @Test func journalKeepsTheLastLineAndIgnoresATornOne() {
        let text = "v1\t1/a.gz\t10\tx\t10\nv1\t1/a.gz\t11\ty\t11\nv1\t1/b.gz\t5\tz\t5\nv1\t1/c.gz\t7\tw"
        let journal = SyncJournal(text: text)
        #expect(journal.entries.count == 2)
        #expect(journal.entries["1/a.gz"]?.eTag == "y")
        #expect(journal.entries["1/c.gz"] == nil)
        #expect(SyncJournal(text: journal.text) == journal)
    }
}
