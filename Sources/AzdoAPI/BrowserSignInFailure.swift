/// Why a browser sign-in brought back no authorization code. Nothing is stored in any case.
public enum BrowserSignInFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nobody finished the sign-in within the wait.
    case timedOut(seconds: Int)
    /// The redirect carried another `state`: not the sign-in this command started.
    case wrongState
    /// Entra sent the browser back with an OAuth error (`access_denied`, `consent_required`, ...).
    case refused(code: String, description: String?)
    /// No loopback listener could be opened.
    case noListener(detail: String)
    /// The person stopped the command (Ctrl-C).
    case interrupted

    /// One line: what happened and what to do.
    public var description: String {
        switch self {
        case .timedOut(let seconds):
            return "the browser sign-in was not finished within \(Self.duration(seconds)); run "
                + "`git credential-azdo login` again, or `git credential-azdo login --device-code` to sign in on another device"
        case .wrongState:
            return "the browser came back from a sign-in this command did not start (its state did not match); "
                + "nothing was stored; run `git credential-azdo login` again"
        case .refused("access_denied", _):
            return "the sign-in was declined in the browser; nothing was stored; run `git credential-azdo login` to try again"
        case .refused("consent_required", _), .refused("interaction_required", _):
            return "Microsoft Entra needs consent for this app that your account cannot give (consent_required); "
                + "ask an administrator to consent, or use the Azure CLI's sign-in (`az login`, then `--azure-cli` on `pat` commands)"
        case .refused(let code, let description):
            return EntraError.service(code: code, description: description).description + "; nothing was stored"
        case .noListener(let detail):
            return "\(detail); run `git credential-azdo login --device-code`"
        case .interrupted:
            return "the browser sign-in was stopped; nothing was stored"
        }
    }

    private static func duration(_ seconds: Int) -> String {
        seconds % 60 == 0 ? "\(seconds / 60) minute\(seconds == 60 ? "" : "s")" : "\(seconds) s"
    }
}
