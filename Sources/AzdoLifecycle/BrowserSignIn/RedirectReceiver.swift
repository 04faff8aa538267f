public import AzdoAPI
public import AzdoCredential
import AzdoHTTP
public import AzdoSystem
import Dispatch

/// Waits on a loopback listener for the one redirect that ends a browser sign-in: a request
/// to `/` carrying this sign-in's `state` and a `code` or an OAuth `error`. Anything else
/// (a favicon, a request without a state, a port scan) gets a 404 and is ignored.
public struct RedirectReceiver: Sendable {
    private let listener: LoopbackListener
    private let clock: any WallClock
    private let progress: any ProgressDisplay
    private let interrupted: @Sendable () -> Bool

    /// A receiver on `listener`; `progress` shows the countdown at a terminal; the wait ends
    /// within a second once `interrupted` says so (Ctrl-C).
    public init(
        listener: LoopbackListener, clock: any WallClock, progress: any ProgressDisplay,
        interrupted: @escaping @Sendable () -> Bool
    ) {
        self.listener = listener
        self.clock = clock
        self.progress = progress
        self.interrupted = interrupted
    }

    /// The code of the redirect carrying `state`, within `seconds`. The browser is told the
    /// outcome on a page that never shows a token or a code. Runs on a thread of its own.
    public func code(state: String, seconds: Int) async throws(BrowserSignInFailure) -> Secret {
        let outcome = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: wait(state: state, seconds: seconds)) }
        }
        return try outcome.get()
    }

    private func wait(state: String, seconds: Int) -> Result<Secret, BrowserSignInFailure> {
        let deadline = clock.now() + Int64(seconds)
        defer { progress.clear() }
        while true {
            let left = deadline - clock.now()
            guard !interrupted() else { return .failure(.interrupted) }
            guard left > 0 else { return .failure(.timedOut(seconds: seconds)) }
            progress.show("waiting for the sign-in in the browser… (\(left / 60):\(left % 60 < 10 ? "0" : "")\(left % 60) left)")
            guard let request = listener.next(within: 1000) else { continue }
            let (path, query) = Self.split(request.target)
            guard request.method == "GET", path == "/", let returned = query["state"] else {
                request.respond(status: 404, reason: "Not Found", html: Self.page("Nothing here.", ""))
                continue
            }
            guard returned == state else {
                request.respond(
                    status: 400, reason: "Bad Request",
                    html: Self.page(
                        "This sign-in was not started here.",
                        "git-credential-azdo stored nothing. Run <code>git credential-azdo login</code> again."))
                return .failure(.wrongState)
            }
            if let error = query["error"] {
                request.respond(
                    status: 200, reason: "OK",
                    html: Self.page("The sign-in was not completed.", "Nothing was stored. You can close this tab."))
                return .failure(.refused(code: error, description: query["error_description"]))
            }
            guard let code = query["code"], !code.isEmpty else {
                request.respond(status: 400, reason: "Bad Request", html: Self.page("No sign-in came back.", ""))
                return .failure(.refused(code: "invalid_request", description: "the redirect carried no code"))
            }
            request.respond(
                status: 200, reason: "OK",
                html: Self.page("Signed in.", "git-credential-azdo has what it needs. You can close this tab."))
            return .success(Secret(code))
        }
    }

    /// The path and the decoded query of a request target.
    static func split(_ target: String) -> (path: String, query: [String: String]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: String] = [:]
        for pair in (parts.count > 1 ? parts[1] : "").split(separator: "&") {
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            query[URLQuery.unescape(halves[0])] = halves.count > 1 ? URLQuery.unescape(halves[1]) : ""
        }
        return (String(parts.first ?? ""), query)
    }

    private static func page(_ title: String, _ text: String) -> String {
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>git-credential-azdo</title></head>"
            + "<body><h1>\(title)</h1><p>\(text)</p></body></html>"
    }
}
