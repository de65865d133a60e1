/// The text `sluice logs days` prints: one line per day folder, oldest first (so the newest is at the bottom,
/// as after `aws s3 ls .../segment-logs/{source}/ | tail`), and a total.
///
/// ```
/// DATE (UTC)                  FOLDER          FILES      BYTES
/// Monday 23 November 2026     1795392000000      24    11.9 MB
/// Tuesday 24 November 2026    1795478400000      17     8.3 MB
/// 2 days                                         41    20.2 MB
/// ```
public enum DaysReport {
    /// The table for `listings` (sorted here, oldest first).
    public static func render(_ listings: [DayListing]) -> String {
        let sorted = listings.sorted { $0.day < $1.day }
        var rows: [[String]] = [["DATE (UTC)", "FOLDER", "FILES", "BYTES"]]
        for listing in sorted {
            rows.append([
                UTCDate(listing.day).words, listing.day.folderName, String(listing.fileCount),
                ByteCount.format(listing.bytes),
            ])
        }
        let files = sorted.reduce(0) { $0 + $1.fileCount }
        let bytes = sorted.reduce(Int64(0)) { $0 + $1.bytes }
        rows.append([sorted.count == 1 ? "1 day" : "\(sorted.count) days", "", String(files), ByteCount.format(bytes)])
        var widths = [0, 0, 0, 0]
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        let lines = rows.map { row in
            [
                pad(row[0], widths[0], left: true), pad(row[1], widths[1], left: true),
                pad(row[2], max(widths[2], 5), left: false), pad(row[3], max(widths[3], 8), left: false),
            ].joined(separator: "   ")
        }
        return lines.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n")
    }

    /// One JSON object per day (for scripts): `{"date":"2026-11-24","folder":"1795478400000","files":17,"bytes":8312345}`.
    public static func renderJSONLines(_ listings: [DayListing]) -> String {
        listings.sorted { $0.day < $1.day }.map { listing in
            "{\"date\":\"\(UTCDate(listing.day))\",\"folder\":\"\(listing.day.folderName)\","
                + "\"files\":\(listing.fileCount),\"bytes\":\(listing.bytes)}"
        }.joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int, left: Bool) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + padding : padding + text
    }
}
