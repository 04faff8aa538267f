public import AzdoSystem

/// One run of the helper: an action name and stdin in, protocol lines and an exit status out.
/// The executable only reads stdin, calls `run`, and writes the result.
public struct HelperProgram: Sendable {
    /// The actions git sends.
    public enum Action: String, Sendable, CaseIterable {
        /// Look a credential up.
        case get
        /// Save a credential that worked.
        case store
        /// Remove a credential that was rejected.
        case erase
    }

    /// What to print on stdout and which status to exit with.
    public struct Outcome: Sendable, Equatable {
        /// Protocol lines for stdout (empty for `store`, `erase` and every failure).
        public var standardOutput: String
        /// The exit status.
        public var exitStatus: Int32
    }

    private let helper: CredentialHelper
    private let diagnostics: any DiagnosticSink

    /// Creates a program around `helper`.
    public init(helper: CredentialHelper, diagnostics: any DiagnosticSink) {
        self.helper = helper
        self.diagnostics = diagnostics
    }

    /// Runs `action` on `input`. `get` always exits 0 (git then prompts); `store` and
    /// `erase` exit 1 after reporting why nothing was done.
    public func run(_ action: Action, input: [UInt8]) -> Outcome {
        let request: CredentialRequest
        do {
            request = try CredentialParser.parse(input)
        } catch {
            diagnostics.report(error.description)
            return Outcome(standardOutput: "", exitStatus: action == .get ? 0 : 1)
        }
        do throws(HelperError) {
            switch action {
            case .get:
                let output = helper.get(request)?.serialized(capabilities: request.capabilities) ?? ""
                return Outcome(standardOutput: output, exitStatus: 0)
            case .store:
                try helper.store(request)
            case .erase:
                try helper.erase(request)
            }
            return Outcome(standardOutput: "", exitStatus: 0)
        } catch {
            diagnostics.report(error.description)
            return Outcome(standardOutput: "", exitStatus: 1)
        }
    }
}
