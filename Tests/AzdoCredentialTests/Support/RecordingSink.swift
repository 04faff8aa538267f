import AzdoCredential
import Synchronization

/// A `DiagnosticSink` that keeps every reported line.
final class RecordingSink: DiagnosticSink {
    private let recorded = Mutex<[String]>([])

    init() {}

    /// The lines reported so far, oldest first.
    var lines: [String] { recorded.withLock { $0 } }

    func report(_ line: String) {
        recorded.withLock { $0.append(line) }
    }
}
