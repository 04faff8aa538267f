public import AzdoSystem
import Synchronization

/// A `DiagnosticSink` that keeps every reported line.
public final class RecordingSink: DiagnosticSink {
    private let recorded = Mutex<[String]>([])

    /// An empty sink.
    public init() {}

    /// The lines reported so far, oldest first.
    public var lines: [String] { recorded.withLock { $0 } }

    /// Keeps `line`.
    public func report(_ line: String) {
        recorded.withLock { $0.append(line) }
    }
}

/// A `Notifier` that keeps every notification and says it was shown.
public final class RecordingNotifier: Notifier {
    private let recorded = Mutex<[UserNotification]>([])

    /// An empty notifier.
    public init() {}

    /// The notifications so far, oldest first.
    public var notifications: [UserNotification] { recorded.withLock { $0 } }

    /// Keeps `notification`.
    public func notify(_ notification: UserNotification) -> Bool {
        recorded.withLock { $0.append(notification) }
        return true
    }
}
