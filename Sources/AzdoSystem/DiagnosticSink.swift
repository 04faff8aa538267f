/// Where one-line messages for the person at the terminal go (stderr in the real tool).
public protocol DiagnosticSink: Sendable {
    /// Reports one line; `line` never contains a secret.
    func report(_ line: String)
}
