import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Prints sync progress: on a terminal, one bar redrawn in place (at most ten times a second); otherwise one
/// plain line per downloaded file and a summary, which suits logs and pipes.
///
/// ```swift
/// let progress = ProgressPrinter(isTerminal: isatty(STDOUT_FILENO) == 1)
/// ```
public final class ProgressPrinter: SyncProgress {
    struct State {
        var totalFiles = 0
        var totalBytes: Int64 = 0
        var doneFiles = 0
        var doneBytes: Int64 = 0
        var lastDraw = ContinuousClock.Instant.now
        var drawn = false
    }

    let isTerminal: Bool
    let start = ContinuousClock.now
    let state = Mutex(State())
    let write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - isTerminal: draw a bar (stdout is a TTY) instead of plain lines.
    ///   - write: where text goes; standard output by default.
    public init(isTerminal: Bool, write: @escaping @Sendable (String) -> Void = ProgressPrinter.standardOutput) {
        self.isTerminal = isTerminal
        self.write = write
    }

    /// Writes to standard output and flushes at once.
    public static let standardOutput: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public func began(files: Int, bytes: Int64, skipped: Int) {
        state.withLock { state in
            state.totalFiles = files
            state.totalBytes = bytes
        }
        if !isTerminal {
            write("\(files) files to download (\(ByteCount.format(bytes))), \(skipped) already present\n")
        } else {
            redraw(force: true)
        }
    }

    public func finished(_ target: String, bytes: Int64, downloaded: Bool) {
        state.withLock { state in
            state.doneFiles += 1
            state.doneBytes += bytes
        }
        if isTerminal {
            redraw(force: false)
        } else {
            write((downloaded ? "downloaded " : "verified   ") + "\(target) (\(ByteCount.format(bytes)))\n")
        }
    }

    public func failed(_ target: String, error: LogsError) {
        write((isTerminal ? "\r\u{1B}[K" : "") + "failed     \(target): \(error.message)\n")
        if isTerminal { redraw(force: true) }
    }

    public func ended(_ summary: SyncSummary) {
        if isTerminal { redraw(force: true) }
        write((isTerminal ? "\n" : "") + summary.line + "\n")
    }

    func redraw(force: Bool) {
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            guard force || now - state.lastDraw >= .milliseconds(100) || state.doneFiles == state.totalFiles else {
                return nil
            }
            state.lastDraw = now
            let elapsed = now - start
            return ProgressBar.render(
                doneFiles: state.doneFiles, totalFiles: state.totalFiles, doneBytes: state.doneBytes,
                totalBytes: state.totalBytes,
                elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                width: Self.terminalWidth())
        }
        if let line { write("\r\u{1B}[K" + line) }
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
