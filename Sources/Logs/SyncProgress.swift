/// Receives a sync's progress; `ProgressPrinter` draws it.
public protocol SyncProgress: Sendable {
    /// The plan is made: `files` to fetch (`bytes` in total), `skipped` already in place.
    func began(files: Int, bytes: Int64, skipped: Int)
    /// One file is in place (downloaded, or found identical after a check).
    func finished(_ target: String, bytes: Int64, downloaded: Bool)
    /// One file failed; the sync goes on with the others.
    func failed(_ target: String, error: LogsError)
    /// Everything is done.
    func ended(_ summary: SyncSummary)
}

/// What a sync did.
public struct SyncSummary: Hashable, Sendable {
    /// Files listed in the selected days.
    public var listed = 0
    /// Files already in place (journal match or MD5 match).
    public var skipped = 0
    public var downloaded = 0
    public var downloadedBytes: Int64 = 0
    public var failed = 0
    /// Listed keys that were not written because they cannot be local paths.
    public var unsafe = 0
    public var elapsedSeconds: Double = 0

    public init() {}

    /// `200 files: 180 downloaded (95.1 MB in 3.2 s, 29.7 MB/s), 20 already present`.
    public var line: String {
        var parts = [
            "\(listed) files: \(downloaded) downloaded (\(ByteCount.format(downloadedBytes)) in "
                + "\(Self.seconds(elapsedSeconds))\(rate))", "\(skipped) already present",
        ]
        if failed > 0 { parts.append("\(failed) failed") }
        if unsafe > 0 { parts.append("\(unsafe) skipped (unsafe names)") }
        return parts.joined(separator: ", ")
    }

    var rate: String {
        guard elapsedSeconds > 0, downloadedBytes > 0 else { return "" }
        return ", " + ByteCount.format(Int64(Double(downloadedBytes) / elapsedSeconds)) + "/s"
    }

    static func seconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}

/// The one-line progress bar drawn on a terminal: pure, so its layout is tested with plain values.
public enum ProgressBar {
    /// `[##########----------]  50/100 files  12.3 MB / 24.6 MB  4.1 MB/s`, at most `width` characters.
    public static func render(
        doneFiles: Int, totalFiles: Int, doneBytes: Int64, totalBytes: Int64, elapsedSeconds: Double, width: Int = 80
    ) -> String {
        let fraction =
            totalBytes > 0
            ? Double(doneBytes) / Double(totalBytes)
            : (totalFiles > 0 ? Double(doneFiles) / Double(totalFiles) : 1)
        let rate = elapsedSeconds > 0 ? ByteCount.format(Int64(Double(doneBytes) / elapsedSeconds)) + "/s" : ""
        let text =
            " \(doneFiles)/\(totalFiles) files  \(ByteCount.format(doneBytes)) / \(ByteCount.format(totalBytes))"
            + (rate.isEmpty ? "" : "  " + rate)
        let barWidth = max(10, min(40, width - text.count - 2))
        let filled = min(barWidth, Int((fraction * Double(barWidth)).rounded(.down)))
        let line =
            "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "]"
            + text
        return String(line.prefix(max(width, 12)))
    }
}
