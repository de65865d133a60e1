/// Human-readable byte counts in decimal units, as `aws s3 ls --human-readable` users expect sizes to read.
///
/// ```swift
/// ByteCount.format(1_234_567)   // "1.2 MB"
/// ```
public enum ByteCount {
    /// `512 B`, `12.3 KB`, `1.2 MB`, `3.4 GB`, `1.0 TB`.
    public static func format(_ bytes: Int64) -> String {
        guard bytes >= 1000 else { return "\(bytes) B" }
        let units = ["KB", "MB", "GB", "TB", "PB"]
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 999.95 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
