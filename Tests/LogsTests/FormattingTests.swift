import ArchiveFormat
import Synchronization
import Testing

@testable import Logs

@Suite struct FormattingTests {
    @Test(arguments: [
        (Int64(0), "0 B"), (999, "999 B"), (1000, "1.0 KB"), (1_234_567, "1.2 MB"), (999_999, "1.0 MB"),
        (3_400_000_000, "3.4 GB"),
    ])
    func byteCounts(bytes: Int64, text: String) {
        #expect(ByteCount.format(bytes) == text)
    }

    @Test func daysTableIsOldestFirstWithTotals() {
        let nov24 = ReceivedDay(containing: 1_795_478_400_000)
        let text = DaysReport.render([
            DayListing(day: nov24, fileCount: 17, bytes: 8_312_345),
            DayListing(day: nov24.previous, fileCount: 24, bytes: 11_900_000),
        ])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("DATE (UTC)"))
        #expect(lines[1].hasPrefix("Monday 23 November 2026"))
        #expect(lines[1].contains("1795392000000") && lines[1].hasSuffix("11.9 MB"))
        #expect(lines[2].hasPrefix("Tuesday 24 November 2026") && lines[2].contains(" 17 "))
        #expect(lines[3].hasPrefix("2 days") && lines[3].contains(" 41 ") && lines[3].hasSuffix("20.2 MB"))
        #expect(Set(lines.map { $0.firstRange(of: "FOLDER")?.lowerBound == nil ? 0 : 1 }).count <= 2)
        #expect(
            DaysReport.renderJSONLines([DayListing(day: nov24, fileCount: 2, bytes: 10)])
                == #"{"date":"2026-11-24","folder":"1795478400000","files":2,"bytes":10}"#)
    }

    @Test func progressBarFitsTheWidth() {
        let half = ProgressBar.render(
            doneFiles: 50, totalFiles: 100, doneBytes: 500, totalBytes: 1000, elapsedSeconds: 2, width: 80)
        #expect(half.count <= 80)
        #expect(half.hasPrefix("[" + String(repeating: "#", count: 20)))
        #expect(half.contains(" 50/100 files") && half.contains("250 B/s"))
        let narrow = ProgressBar.render(
            doneFiles: 0, totalFiles: 3, doneBytes: 0, totalBytes: 0, elapsedSeconds: 0, width: 20)
        #expect(narrow.count <= 20)
    }

    @Test func summaryLine() {
        var summary = SyncSummary()
        summary.listed = 3
        summary.downloaded = 2
        summary.skipped = 1
        summary.downloadedBytes = 2_000_000
        summary.elapsedSeconds = 2
        #expect(summary.line == "3 files: 2 downloaded (2.0 MB in 2.0 s, 1.0 MB/s), 1 already present")
    }

    @Test func plainProgressIsOneLinePerFileAndASummary() {
        let lines = Mutex<[String]>([])
        let printer = ProgressPrinter(isTerminal: false) { text in lines.withLock { $0.append(text) } }
        printer.began(files: 2, bytes: 3000, skipped: 1)
        printer.finished("1/a.gz", bytes: 1000, downloaded: true)
        printer.failed("1/b.gz", error: LogsError(.storeFailed, "boom"))
        var summary = SyncSummary()
        summary.listed = 3
        summary.downloaded = 1
        summary.skipped = 1
        summary.failed = 1
        printer.ended(summary)
        #expect(
            lines.withLock { $0 } == [
                "2 files to download (3.0 KB), 1 already present\n", "downloaded 1/a.gz (1.0 KB)\n",
                "failed     1/b.gz: boom\n", summary.line + "\n",
            ])
        #expect(summary.line.contains("1 failed"))
    }
}
