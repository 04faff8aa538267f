public import AzdoLifecycle
import FoundationEssentials
import Synchronization

/// An Azure DevOps and Microsoft Entra stand-in with the documented JSON and error
/// behaviour, for tests and the demo. It answers:
///
/// - `POST /{tenant}/oauth2/v2.0/devicecode` and `/token` (device-code and refresh grants;
///   refresh tokens rotate, and a used one stops working);
/// - `/{org}/_apis/tokens/pats` (list with paging, get, create, update, revoke), which wants a
///   Bearer access token and answers 203 with an HTML sign-in page without one;
/// - `GET /{org}/_apis/connectionData`, which wants Basic auth with a valid PAT;
/// - `POST /_emulator/approve?user_code=…` / `decline`, the test's stand-in for the person
///   finishing the device-code sign-in in a browser.
///
/// It is transport-independent: `handle` maps a request to a response, so the same logic
/// serves over loopback HTTP and in-process.
public final class Emulator: HTTPTransport {
    private let state = Mutex(EmulatorState())
    private let now: @Sendable () -> Int64

    /// Creates an emulator whose clock is `now` (Unix seconds).
    public init(now: @escaping @Sendable () -> Int64) {
        self.now = now
    }

    /// Replaces the organization policy.
    public func setPolicy(_ policy: EmulatorPolicy) { state.withLock { $0.policy = policy } }

    /// Queues faults for the next PAT API responses, one each.
    public func inject(_ faults: [EmulatorFault]) { state.withLock { $0.faults += faults } }

    /// The PATs issued so far that are neither revoked nor expired, by organization.
    public func livePATs(organization: String) -> [String] {
        let time = now()
        return state.withLock { state in
            state.pats.filter { $0.value.organization == organization && !$0.value.revoked && $0.value.validTo > time }
                .map(\.key).sorted()
        }
    }

    /// Whether `token` is a PAT of `organization` that is live and has a scope allowing the
    /// operation (`vso.code` family to read; `vso.code_write` or wider to push).
    public func acceptsPAT(_ token: String, organization: String, write: Bool) -> Bool {
        let time = now()
        return state.withLock { state in
            state.pats.values.contains { pat in
                pat.token == token && pat.organization == organization.lowercased() && !pat.revoked
                    && pat.validTo > time && Self.scope(pat.scope, allowsWrite: write)
            }
        }
    }

    /// `HTTPTransport`: answers in process.
    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        handle(request)
    }

    /// Answers one request.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let target = RequestTarget(request.url)
        state.withLock { $0.requestLog.append("\(request.method) \(target.path)") }
        let segments = target.segments
        switch (request.method, segments.count) {
        case ("POST", 2) where segments[0] == "_emulator":
            return control(segments[1], target.query)
        case ("POST", 4) where segments[1] == "oauth2" && segments[3] == "devicecode":
            return deviceCode(form: FormBody(request.body))
        case ("POST", 4) where segments[1] == "oauth2" && segments[3] == "token":
            return token(form: FormBody(request.body))
        case (_, 4) where segments[1] == "_apis" && segments[2].lowercased() == "tokens"
            && segments[3].lowercased() == "pats":
            return patAPI(request, organization: segments[0].lowercased(), query: target.query)
        case ("GET", 3) where segments[1] == "_apis" && segments[2] == "connectionData":
            return connectionData(request, organization: segments[0].lowercased())
        default:
            return .json(404, #"{"message":"not found"}"#)
        }
    }

    // MARK: - Entra

    private func control(_ action: String, _ query: [String: String]) -> HTTPResponse {
        guard let userCode = query["user_code"] else { return .json(400, #"{"message":"user_code missing"}"#) }
        let found = state.withLock { state -> Bool in
            guard let key = state.deviceCodes.first(where: { $0.value.userCode == userCode })?.key else { return false }
            if action == "approve" { state.deviceCodes[key]?.approved = true }
            if action == "decline" { state.deviceCodes[key]?.declined = true }
            return true
        }
        return found ? .json(200, "{}") : .json(404, #"{"message":"no such user code"}"#)
    }

    private func deviceCode(form: FormBody) -> HTTPResponse {
        guard let clientID = form["client_id"] else { return Self.oauthError("invalid_request") }
        let code = Random.token(length: 40)
        let userCode = Random.token(length: 8, alphabet: "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        state.withLock {
            $0.deviceCodes[code] = .init(userCode: userCode, clientID: clientID, expiresAt: now() + 900)
        }
        return .json(200, Self.object([
            "device_code": .string(code), "user_code": .string(userCode),
            "verification_uri": .string("https://microsoft.com/devicelogin"), "expires_in": .int(900),
            "interval": .int(1),
            "message": .string("To sign in, use a web browser to open the page https://microsoft.com/devicelogin "
                + "and enter the code \(userCode) to authenticate."),
        ]))
    }

    private func token(form: FormBody) -> HTTPResponse {
        switch form["grant_type"] {
        case "urn:ietf:params:oauth:grant-type:device_code":
            let time = now()
            let outcome = state.withLock { state -> String? in
                guard let code = form["device_code"], let entry = state.deviceCodes[code] else {
                    return "bad_verification_code"
                }
                if entry.expiresAt <= time { return "expired_token" }
                if entry.declined { return "authorization_declined" }
                if !entry.approved {
                    let tooFast = entry.lastPoll.map { time - $0 < 1 } ?? false
                    state.deviceCodes[code]?.lastPoll = time
                    return tooFast ? "slow_down" : "authorization_pending"
                }
                state.deviceCodes[code] = nil
                return nil
            }
            if let outcome { return Self.oauthError(outcome) }
            return issueTokens(clientID: form["client_id"] ?? "")
        case "refresh_token":
            let valid = state.withLock { state -> Bool in
                guard let token = form["refresh_token"], state.refreshTokens[token] != nil else { return false }
                state.refreshTokens[token] = nil
                return true
            }
            guard valid else { return Self.oauthError("invalid_grant", "AADSTS70000: the refresh token is invalid") }
            return issueTokens(clientID: form["client_id"] ?? "")
        default:
            return Self.oauthError("unsupported_grant_type")
        }
    }

    private func issueTokens(clientID: String) -> HTTPResponse {
        let access = "eyJ" + Random.token(length: 60)
        let refresh = "1.A" + Random.token(length: 60)
        state.withLock {
            $0.accessTokens[access] = now() + 3_600
            $0.refreshTokens[refresh] = clientID
        }
        return .json(200, Self.object([
            "token_type": .string("Bearer"), "scope": .string("499b84ac-1321-427f-aa17-267ca6975798/user_impersonation"),
            "expires_in": .int(3_599), "access_token": .string(access), "refresh_token": .string(refresh),
        ]))
    }

    static func oauthError(_ code: String, _ description: String? = nil) -> HTTPResponse {
        var fields: [String: JSONValue] = ["error": .string(code)]
        if let description { fields["error_description"] = .string(description) }
        return .json(400, object(fields))
    }

    static func scope(_ scope: String, allowsWrite write: Bool) -> Bool {
        let scopes = Set(scope.split(separator: " ").map(String.init))
        if scopes.contains("app_token") || scopes.contains("vso.code_full") || scopes.contains("vso.code_manage")
            || scopes.contains("vso.code_write")
        {
            return true
        }
        return !write && scopes.contains("vso.code")
    }

    // MARK: - Shared state access for the PAT API (Emulator+PATAPI.swift)

    func withState<T: Sendable>(_ body: (inout sending EmulatorState) -> sending T) -> T { state.withLock(body) }

    var currentTime: Int64 { now() }
}
