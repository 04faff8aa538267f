#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display for long operations (waiting for a sign-in, a refresh over
/// many organizations).
public protocol ProgressDisplay: Sendable {
    /// Replaces the progress line with `text`.
    func show(_ text: String)
    /// Removes the progress line.
    func clear()
}

/// Progress on stderr, only when stderr is a terminal: the line is redrawn in place (`\r`,
/// erase to end of line), so logs and pipes never see it.
public struct TerminalProgress: ProgressDisplay {
    private let enabled: Bool

    /// Shows progress when stderr is a terminal and `TERM` is not `dumb`.
    public init() {
        enabled = isatty(2) == 1 && Environment.value("TERM") != "dumb"
    }

    /// Redraws the line.
    public func show(_ text: String) {
        if enabled { StandardStreams.write("\r\u{1B}[K" + text, to: 2) }
    }

    /// Erases the line.
    public func clear() {
        if enabled { StandardStreams.write("\r\u{1B}[K", to: 2) }
    }
}

/// No progress display (tests, and anywhere no person is watching).
public struct NoProgress: ProgressDisplay {
    /// Creates it.
    public init() {}
    /// Does nothing.
    public func show(_ text: String) {}
    /// Does nothing.
    public func clear() {}
}
