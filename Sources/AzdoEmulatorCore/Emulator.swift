public import AzdoHTTP
import FoundationEssentials
import Synchronization

/// An Azure DevOps and Microsoft Entra stand-in with the documented JSON and error
/// behaviour, for tests and the demo. It answers:
///
/// - `POST /{tenant}/oauth2/v2.0/devicecode` and `/token` (device-code, authorization-code
///   with PKCE, and refresh grants; refresh tokens rotate, and a used one stops working);
/// - `GET /{tenant}/oauth2/v2.0/authorize`: a browser sign-in, answered at once with the
///   redirect to the loopback `redirect_uri` (single-use codes that expire after 10 minutes);
/// - `/{org}/_apis/tokens/pats` (list with paging, get, create, update, revoke), which wants a
///   Bearer access token and answers 203 with an HTML sign-in page without one;
/// - `GET /{org}/_apis/connectionData`, which wants Basic auth with a valid PAT;
/// - git's smart HTTP (in the executable), which takes a PAT or a live access token, as a
///   Basic password or a Bearer token;
/// - `HEAD /{org}` without credentials: the 401 whose `WWW-Authenticate: Bearer
///   authorization_uri=` and `X-VSS-ResourceTenant` name the organization's tenant;
/// - control endpoints for tests and the demo, under `/_emulator/`:
///   - `POST approve?user_code=…` / `decline?user_code=…`: the person finishing (or refusing)
///     the device-code sign-in in a browser;
///   - `POST authorize?mode=approve|deny|consent-required[&delay=SECONDS]`: how (and how late)
///     the person at the browser answers the next browser sign-ins
///     (`GET /{tenant}/oauth2/v2.0/authorize`, PKCE S256);
///   - `POST service-principal?tenant=T&client=C&orgs=A,B[&federated=github,azure-pipelines,generic]`
///     with the client secret (if any) as the body; `POST managed-identity?id=system|CLIENT|RESOURCE&orgs=A,B`;
///     `POST oidc?platform=github|azure-pipelines` with the job's request token as the body;
///     `POST oidc-token?platform=generic`: an OIDC token as the answer's body (see
///     `Emulator+Identities.swift`);
///   - `POST entra?token-lifetime=SECONDS`: how long the access tokens issued from now on
///     live (default 3600); `GET entra`: how many times each grant was redeemed
///     (`{"grants":{"refresh_token":N}}`);
///   - `POST conditional-access?block-device-code=BOOL&require-interaction=BOOL`:
///     Conditional Access blocks device-code sign-ins (AADSTS53003 once the person signs
///     in), or wants a new interactive sign-in before any refresh (`interaction_required`,
///     AADSTS50076);
///   - `POST fault?kind=…[&count=N][&method=M]`: the next N PAT API answers (to calls with
///     HTTP method M, if given) fail (see `EmulatorFault`);
///   - `POST policy?max-days=N&forbid-full-scope=BOOL&disable-creation=BOOL&allowlisted=BOOL`:
///     the organization policies (Restrict PAT creation, with the user on its allowlist);
///   - global (all-organization) PATs stop working at `globalPATRetirement` on the
///     emulator's clock: git and `connectionData` refuse them, and creating or updating
///     one fails with `globalPatPolicyViolation`;
///   - `POST tenant?org=ORG&tenant=ID`: the organization belongs to that Entra tenant;
///   - `POST clock?offset=SECONDS`: the emulator's time runs that far from its clock (PATs
///     created meanwhile start in the past or future);
///   - `GET pats?org=ORG`: the ids of the organization's `active` and `revoked` PATs;
///   - `POST pat?org=ORG[&all-orgs=true]` with a token as the body: a PAT a person made in
///     the web UI (full scope, 30 days; global with `all-orgs`) becomes the organization's only active one, the others being
///     revoked; an empty body revokes them all (tests of git against a rotated PAT);
///   - `GET git-log`: JSON lines of `EmulatorGitAccess`, without any token;
///   - `GET issued-secrets`: every PAT, access and refresh token it issued, for leak tests.
///
/// It is transport-independent: `handle` maps a request to a response, so the same logic
/// serves over loopback HTTP and in-process.
public final class Emulator: HTTPTransport {
    private let state = Mutex(EmulatorState())
    private let clock: @Sendable () -> Int64
    private let onIssue: @Sendable (String) -> Void

    /// Creates an emulator whose clock is `now` (Unix seconds); `onIssue` hears every PAT,
    /// access and refresh token it issues (the test suite's leak scan collects them).
    public init(now: @escaping @Sendable () -> Int64, onIssue: @escaping @Sendable (String) -> Void = { _ in }) {
        clock = now
        self.onIssue = onIssue
    }

    /// Records secrets it issued: for `GET issued-secrets`, then for `onIssue`.
    func recordIssued(_ secrets: [String]) {
        state.withLock { $0.issuedSecrets += secrets }
        secrets.forEach(onIssue)
    }

    /// The emulator's time: its clock plus the offset set through `/_emulator/clock`. Never
    /// call it while holding `state`'s lock (the lock is not reentrant).
    private func now() -> Int64 { clock() + state.withLock { $0.clockOffset } }

    /// Replaces the organization policy.
    public func setPolicy(_ policy: EmulatorPolicy) { state.withLock { $0.policy = policy } }

    /// Queues faults for the next PAT API responses, one each; with `method`, only for
    /// calls with that HTTP method (e.g. `POST`: creates), other calls pass them by.
    public func inject(_ faults: [EmulatorFault], method: String? = nil) {
        state.withLock { $0.faults += faults.map { ($0, method) } }
    }

    /// Makes `organization` belong to Entra tenant `tenant`.
    public func setTenant(_ tenant: String, organization: String) {
        state.withLock { $0.tenants[organization.lowercased()] = tenant }
    }

    /// Every git request seen so far, oldest first.
    public var gitAccessLog: [EmulatorGitAccess] { state.withLock { $0.gitLog } }

    /// Decides a git smart-HTTP request for `organization` carrying `password` (a PAT or an
    /// Entra access token, from Basic auth or a Bearer header), and logs it. A live access
    /// token is accepted for every organization, as Azure DevOps accepts the signed-in
    /// user's token for each organization the user belongs to.
    public func authorizeGit(password: String?, organization: String, write: Bool) -> Bool {
        let organization = organization.lowercased()
        let time = now()
        let entra = password.map { token in
            let grant = state.withLock { $0.identityTokens[token] }
            return grant.map { $0.expiresAt > time && $0.organizations.contains(organization) } ?? isLiveUserToken(token)
        } ?? false
        let accepted = entra || (password.map { acceptsPAT($0, organization: organization, write: write) } ?? false)
        state.withLock { state in
            let owner = password.flatMap { token in state.pats.values.first { $0.token == token }?.organization }
            state.gitLog.append(EmulatorGitAccess(
                organization: organization, tokenOrganization: owner, accepted: accepted, entra: entra))
        }
        return accepted
    }

    /// Whether `token` is a live access token of a signed-in user (not a workload identity's).
    func isLiveUserToken(_ token: String) -> Bool {
        let time = now()
        return state.withLock { $0.accessTokens[token].map { $0 > time } ?? false }
    }

    /// The PATs issued so far that are neither revoked nor expired, by organization.
    public func livePATs(organization: String) -> [String] { pats(organization, shownBy: "active") }

    /// The PATs of `organization` revoked so far.
    public func revokedPATs(organization: String) -> [String] { pats(organization, shownBy: "revoked") }

    /// The ids of `organization`'s PATs that a list with `filter` shows now, sorted.
    private func pats(_ organization: String, shownBy filter: String) -> [String] {
        let time = now()
        return state.withLock { state in
            state.pats.filter { $0.value.organization == organization && $0.value.isShown(by: filter, at: time) }
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
                    && !(pat.allOrgs && time >= Self.globalPATRetirement)
            }
        }
    }

    /// `HTTPTransport`: answers in process, holding a `slow` answer back as the server would.
    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let reply = reply(to: request)
        if reply.resetConnection { throw .connectionFailed(detail: "connection reset by peer") }
        if reply.delaySeconds > 0 { try? await Task.sleep(for: .seconds(reply.delaySeconds)) }
        return reply.response
    }

    /// Answers one request, ignoring any delay.
    public func handle(_ request: HTTPRequest) -> HTTPResponse { reply(to: request).response }

    /// Answers one request, with how long to hold the answer back.
    public func reply(to request: HTTPRequest) -> EmulatorReply {
        let target = RequestTarget(request.url)
        let segments = target.segments
        switch (request.method, segments.count) {
        case (_, 2) where segments[0] == "_emulator":
            return EmulatorReply(
                response: control(request.method, segments[1], target.query, body: request.body), delaySeconds: 0)
        case ("GET", 4) where segments[1] == "oauth2" && segments[3] == "authorize":
            return EmulatorReply(response: authorize(query: target.query), delaySeconds: withState { $0.authorizeDelay })
        case (_, 4) where segments[1] == "_apis" && segments[2].lowercased() == "tokens"
            && segments[3].lowercased() == "pats":
            return patAPI(request, organization: segments[0].lowercased(), query: target.query)
        default:
            return EmulatorReply(response: route(request, target), delaySeconds: 0)
        }
    }

    private func route(_ request: HTTPRequest, _ target: RequestTarget) -> HTTPResponse {
        let segments = target.segments
        switch (request.method, segments.count) {
        case ("POST", 4) where segments[1] == "oauth2" && segments[3] == "devicecode":
            return deviceCode(form: FormBody(request.body))
        case ("POST", 4) where segments[1] == "oauth2" && segments[3] == "token":
            let form = FormBody(request.body)
            if form["grant_type"] == "client_credentials" {
                return clientCredentials(form: form, tenant: segments[0], origin: target.origin)
            }
            return token(form: form)
        case ("GET", 4) where segments == ["metadata", "identity", "oauth2", "token"]:
            return metadataService(request, query: target.query)
        case ("GET", 2) where segments == ["_oidc", "github"]:
            return githubOIDC(request, query: target.query)
        case ("POST", _) where segments.last == "oidctoken":
            return pipelinesOIDC(request)
        case ("GET", 3) where segments[1] == "_apis" && segments[2] == "connectionData":
            return connectionData(request, organization: segments[0].lowercased())
        case ("HEAD", 1), ("GET", 1):
            return unauthenticated(organization: segments[0].lowercased(), origin: target.origin)
        default:
            return .json(404, #"{"message":"not found"}"#)
        }
    }

    // MARK: - Control

    private func control(_ method: String, _ action: String, _ query: [String: String], body: Data?) -> HTTPResponse {
        switch (method, action) {
        case ("POST", "approve"), ("POST", "decline"):
            guard let userCode = query["user_code"] else { return .json(400, #"{"message":"user_code missing"}"#) }
            let found = state.withLock { state -> Bool in
                guard let key = state.deviceCodes.first(where: { $0.value.userCode == userCode })?.key else {
                    return false
                }
                if action == "approve" { state.deviceCodes[key]?.approved = true }
                if action == "decline" { state.deviceCodes[key]?.declined = true }
                return true
            }
            return found ? .json(200, "{}") : .json(404, #"{"message":"no such user code"}"#)
        case ("POST", "authorize"):
            guard let mode = query["mode"], ["approve", "deny", "consent-required"].contains(mode) else {
                return .json(400, #"{"message":"mode is approve, deny or consent-required"}"#)
            }
            let delay = Int(query["delay"] ?? "") ?? 0
            state.withLock {
                $0.authorizeMode = mode
                $0.authorizeDelay = delay
            }
            return .json(200, "{}")
        case ("POST", "service-principal"), ("POST", "managed-identity"), ("POST", "oidc"), ("POST", "oidc-token"):
            return identityControl(action, query, body: body)
        case ("POST", "entra"):
            guard let lifetime = query["token-lifetime"].flatMap({ Int64($0) }), lifetime > 0 else {
                return .json(400, #"{"message":"token-lifetime=SECONDS is required"}"#)
            }
            state.withLock { $0.accessTokenLifetime = lifetime }
            return .json(200, "{}")
        case ("GET", "entra"):
            let grants = state.withLock { $0.grants }
            return .json(200, Self.object(["grants": .object(grants.mapValues { .int($0) })]))
        case ("POST", "conditional-access"):
            let block = query["block-device-code"] == "true", interaction = query["require-interaction"] == "true"
            state.withLock {
                $0.blockDeviceCode = block
                $0.requireInteraction = interaction
            }
            return .json(200, "{}")
        case ("POST", "fault"):
            guard let fault = EmulatorFault(query: query) else {
                return .json(400, #"{"message":"unknown fault kind"}"#)
            }
            inject(
                Array(repeating: fault, count: min(max(Int(query["count"] ?? "") ?? 1, 1), 100)),
                method: query["method"]?.uppercased())
            return .json(200, "{}")
        case ("POST", "policy"):
            var policy = EmulatorPolicy()
            if let days = query["max-days"].flatMap({ Int($0) }) { policy.maximumLifespanDays = days }
            policy.forbidFullScope = query["forbid-full-scope"] == "true"
            policy.disableCreation = query["disable-creation"] == "true"
            policy.creationAllowlisted = query["allowlisted"] == "true"
            setPolicy(policy)
            return .json(200, "{}")
        case ("POST", "tenant"):
            guard let organization = query["org"], let tenant = query["tenant"] else {
                return .json(400, #"{"message":"org and tenant are required"}"#)
            }
            setTenant(tenant, organization: organization)
            return .json(200, "{}")
        case ("POST", "clock"):
            guard let offset = query["offset"].flatMap({ Int64($0) }) else {
                return .json(400, #"{"message":"offset (seconds) is required"}"#)
            }
            state.withLock { $0.clockOffset = offset }
            return .json(200, "{}")
        case ("GET", "issued-secrets"):
            // For leak tests: every token this emulator ever issued, one per line.
            let lines = state.withLock { $0.issuedSecrets }.map { $0 + "\n" }.joined()
            return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Data(lines.utf8))
        case ("GET", "pats"):
            // The service's own view, without using any sign-in: tests count PATs with it
            // while a client holds the refresh token.
            let organization = query["org"] ?? ""
            return .json(200, Self.object([
                "active": .array(livePATs(organization: organization).map(JSONValue.string)),
                "revoked": .array(revokedPATs(organization: organization).map(JSONValue.string)),
            ]))
        case ("POST", "pat"):
            guard let organization = query["org"]?.lowercased() else { return .json(400, #"{"message":"org is required"}"#) }
            replacePATs(
                organization: organization, with: String(decoding: body ?? Data(), as: UTF8.self),
                allOrgs: query["all-orgs"] == "true")
            return .json(200, "{}")
        case ("GET", "git-log"):
            let lines = gitAccessLog.map { access in
                Self.object([
                    "organization": .string(access.organization),
                    "tokenOrganization": access.tokenOrganization.map(JSONValue.string) ?? .null,
                    "accepted": .bool(access.accepted), "entra": .bool(access.entra),
                ]) + "\n"
            }
            return HTTPResponse(
                status: 200, headers: ["Content-Type": "application/x-ndjson"], body: Data(lines.joined().utf8))
        default:
            return .json(404, #"{"message":"no such control endpoint"}"#)
        }
    }

    /// Revokes every PAT of `organization`, then, unless `token` is empty, adds one with that
    /// token, as a person does who makes a PAT in the web UI and revokes the old ones.
    private func replacePATs(organization: String, with token: String, allOrgs: Bool) {
        let time = now()
        state.withLock { state in
            for id in state.pats.keys where state.pats[id]?.organization == organization { state.pats[id]?.revoked = true }
            guard !token.isEmpty else { return }
            state.pats[Self.uuid()] = EmulatorState.PAT(
                organization: organization, displayName: "made in the web UI", scope: "app_token", validFrom: time,
                validTo: time + 30 * 86_400, token: token, allOrgs: allOrgs)
        }
    }

    /// When global (all-organization) PATs stop working: 2026-12-01T00:00:00Z.
    public static let globalPATRetirement: Int64 = 1_796_083_200

    /// The 401 Azure DevOps gives an anonymous request for an organization (protocols.md 3.7).
    func unauthenticated(organization: String, origin: String) -> HTTPResponse {
        HTTPResponse(
            status: 401, headers: challengeHeaders(organization: organization, origin: origin),
            body: Data("TF400813: Resource not available for anonymous access.".utf8))
    }

    /// `WWW-Authenticate` (Bearer with the tenant when the organization has one, then Basic)
    /// and `X-VSS-ResourceTenant` (all zeros without a tenant, as for an MSA-backed organization).
    func challengeHeaders(organization: String, origin: String) -> [String: String] {
        let tenant = state.withLock { $0.tenants[organization] }
        let basic = #"Basic realm="https://emulator.dev.azure.test/""#
        return [
            "WWW-Authenticate": tenant.map { "Bearer authorization_uri=\(origin)/\($0), " + basic } ?? basic,
            "X-VSS-ResourceTenant": tenant ?? "00000000-0000-0000-0000-000000000000",
        ]
    }

    // MARK: - Entra

    private func deviceCode(form: FormBody) -> HTTPResponse {
        guard let clientID = form["client_id"] else { return Self.oauthError("invalid_request") }
        let code = Random.token(length: 40)
        let userCode = Random.token(length: 8, alphabet: "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let expiresAt = now() + 900
        state.withLock { $0.deviceCodes[code] = .init(userCode: userCode, clientID: clientID, expiresAt: expiresAt) }
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
                if state.blockDeviceCode && entry.approved { return "blocked" }
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
            if outcome == "blocked" {
                return Self.oauthError(
                    "invalid_grant",
                    "AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not "
                        + "allow token issuance.\r\nTrace ID: 0f3c1b2e-0000-4000-8000-000000000000\r\n"
                        + "Correlation ID: 7d2b9a1c-0000-4000-8000-000000000000\r\nTimestamp: 2026-11-26 08:00:00Z")
            }
            if let outcome { return Self.oauthError(outcome) }
            return issueTokens(clientID: form["client_id"] ?? "")
        case "authorization_code":
            return redeem(form: form)
        case "refresh_token" where withState({ $0.requireInteraction }):
            return Self.oauthError(
                "interaction_required",
                "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new "
                    + "location, you must use multi-factor authentication to access '499b84ac-1321-427f-aa17-267ca6975798'."
                    + "\r\nTrace ID: 5a1e0c3d-0000-4000-8000-000000000000\r\nTimestamp: 2026-11-26 08:00:00Z")
        case "refresh_token":
            let valid = state.withLock { state -> Bool in
                guard let token = form["refresh_token"], state.refreshTokens[token] != nil else { return false }
                state.refreshTokens[token] = nil
                state.grants["refresh_token", default: 0] += 1
                return true
            }
            guard valid else { return Self.oauthError("invalid_grant", "AADSTS70000: the refresh token is invalid") }
            return issueTokens(clientID: form["client_id"] ?? "")
        default:
            return Self.oauthError("unsupported_grant_type")
        }
    }

    /// The browser's visit to the sign-in page, with the person's answer already given (see
    /// `authorizeMode`): a redirect to the loopback `redirect_uri` carrying a single-use
    /// code (10 minutes) or an error, and the `state` unchanged. A request Entra would not
    /// accept (no PKCE `S256` challenge, a redirect that is not loopback http) gets an error
    /// page and no redirect, as Entra shows one.
    private func authorize(query: [String: String]) -> HTTPResponse {
        guard let clientID = query["client_id"], query["response_type"] == "code",
            let redirectURI = query["redirect_uri"], let challenge = query["code_challenge"]
        else {
            return Self.errorPage("AADSTS900144: The request body must contain the following parameter: "
                + "'client_id', 'response_type=code', 'redirect_uri' and 'code_challenge'.")
        }
        guard query["code_challenge_method"] == "S256" else {
            return Self.errorPage("AADSTS501491: Invalid size of Code_Challenge parameter or method other than S256.")
        }
        let lower = redirectURI.lowercased()
        guard lower.hasPrefix("http://localhost:") || lower.hasPrefix("http://127.0.0.1:") || lower == "http://localhost"
            || lower == "http://localhost/"
        else {
            return Self.errorPage("AADSTS50011: The redirect URI '\(redirectURI)' specified in the request does not "
                + "match the redirect URIs configured for the application.")
        }
        var answer: [(String, String)]
        switch state.withLock({ $0.authorizeMode }) {
        case "deny":
            answer = [("error", "access_denied"), ("error_description", "AADSTS65004: User declined to consent to access the app.")]
        case "consent-required":
            answer = [
                ("error", "consent_required"),
                ("error_description", "AADSTS65001: The user or administrator has not consented to use the application."),
            ]
        default:
            let code = "0.A" + Random.token(length: 60)
            let expiresAt = now() + 600
            state.withLock {
                $0.authorizationCodes[code] = .init(
                    clientID: clientID, redirectURI: redirectURI, challenge: challenge, expiresAt: expiresAt)
            }
            recordIssued([code])
            answer = [("code", code)]
        }
        if let state = query["state"] { answer.append(("state", state)) }
        // A redirect URI without a path comes back with `/` (Entra's documented habit).
        let target = RequestTarget(redirectURI).path == "/" && !redirectURI.hasSuffix("/") ? redirectURI + "/" : redirectURI
        let separator = target.contains("?") ? "&" : "?"
        let location = target + separator
            + answer.map { "\($0.0)=\(URLQuery.escape($0.1))" }.joined(separator: "&")
        return HTTPResponse(status: 302, headers: ["Location": location, "Content-Type": "text/html"])
    }

    /// The `authorization_code` grant: the code once, for the client and redirect it was
    /// issued to, with the verifier whose S256 challenge the sign-in carried.
    private func redeem(form: FormBody) -> HTTPResponse {
        let time = now()
        let failure = state.withLock { state -> String? in
            guard let code = form["code"] else { return "AADSTS900144: The request body must contain 'code'." }
            if state.redeemedCodes.contains(code) { return "AADSTS54005: OAuth2 Authorization code was already redeemed." }
            guard let entry = state.authorizationCodes.removeValue(forKey: code) else {
                return "AADSTS9002313: Invalid request. The authorization code is malformed or invalid."
            }
            state.redeemedCodes.insert(code)
            if entry.expiresAt <= time { return "AADSTS70008: The provided authorization code has expired." }
            if form["client_id"] != entry.clientID { return "AADSTS700005: The code was issued to another client." }
            if form["redirect_uri"] != entry.redirectURI {
                return "AADSTS500112: The reply address does not match the one of the authorization request."
            }
            guard let verifier = form["code_verifier"], PKCE.challenge(for: verifier) == entry.challenge else {
                return "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request."
            }
            return nil
        }
        // The verifier is a secret of the client's too: the leak scan looks for it.
        if let verifier = form["code_verifier"] { recordIssued([verifier]) }
        if let failure { return Self.oauthError("invalid_grant", failure) }
        return issueTokens(clientID: form["client_id"] ?? "")
    }

    private static func errorPage(_ message: String) -> HTTPResponse {
        HTTPResponse(
            status: 400, headers: ["Content-Type": "text/html; charset=utf-8"],
            body: Data("<!DOCTYPE html><html><body><p>Sorry, but we're having trouble signing you in.</p><p>\(message)</p></body></html>".utf8))
    }

    /// The account every emulated sign-in is for.
    public static let signedInAccount = "emulated.user@contoso.example"

    /// A new access and refresh token. The access token is shaped like Entra's: a JWT whose
    /// payload names the account (`upn`), the audience and the expiry; its signature is random.
    private func issueTokens(clientID: String) -> HTTPResponse {
        let (lifetime, time) = (withState { $0.accessTokenLifetime }, now())
        let expiresAt = time + lifetime
        let access = jwt(
            #"{"aud":"499b84ac-1321-427f-aa17-267ca6975798","upn":"\#(Self.signedInAccount)","iat":\#(time),"exp":\#(expiresAt)}"#)
        let refresh = "1.A" + Random.token(length: 60)
        state.withLock {
            $0.accessTokens[access] = expiresAt
            $0.refreshTokens[refresh] = clientID
        }
        recordIssued([access, refresh])
        return .json(200, Self.object([
            "token_type": .string("Bearer"), "scope": .string("499b84ac-1321-427f-aa17-267ca6975798/user_impersonation"),
            "expires_in": .int(Int(lifetime)), "access_token": .string(access), "refresh_token": .string(refresh),
        ]))
    }

    /// A JWT-shaped token with `payload`: RS256 in its header, a random signature.
    func jwt(_ payload: String) -> String {
        Self.base64URL(#"{"typ":"JWT","alg":"RS256"}"#) + "." + Self.base64URL(payload) + "." + Random.token(length: 43)
    }

    static func base64URL(_ text: String) -> String { base64URL(Data(text.utf8)) }

    static func base64URL(_ data: Data) -> String {
        String(data.base64EncodedString().compactMap { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 == "=" ? nil : $0 })
    }

    static func base64URLDecoded(_ text: String) -> Data? {
        var base64 = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while base64.count % 4 != 0 { base64.append("=") }
        return Data(base64Encoded: base64)
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

    /// The emulator's current time (its clock plus the `/_emulator/clock` offset), for the
    /// `Date` header of its answers.
    public var time: Int64 { now() }

    // MARK: - Shared state access for the PAT API (Emulator+PATAPI.swift)

    func withState<T: Sendable>(_ body: (inout sending EmulatorState) -> sending T) -> T { state.withLock(body) }

    var currentTime: Int64 { now() }
}
