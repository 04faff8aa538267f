public import AzdoHTTP
import FoundationEssentials

extension Emulator {
    /// The PAT Lifecycle Management API for `organization`.
    func patAPI(_ request: HTTPRequest, organization: String, query: [String: String]) -> EmulatorReply {
        guard isSignedIn(request) else { return EmulatorReply(response: .signInPage, delaySeconds: 0) }
        let fault = withState { state -> EmulatorFault? in
            guard let index = state.faults.firstIndex(where: { $0.method.map { $0 == request.method } ?? true }) else {
                return nil
            }
            return state.faults.remove(at: index).fault
        }
        if fault == .reset { return EmulatorReply(response: HTTPResponse(status: 0), delaySeconds: 0, resetConnection: true) }
        let delay = if case .slow(let seconds) = fault { seconds } else { 0 }
        let answer = fault.flatMap { response(for: $0, organization: organization, request: request) }
            ?? patOperation(request, organization: organization, query: query)
        return EmulatorReply(response: answer, delaySeconds: delay, resetConnection: fault == .resetAfterProcessing)
    }

    private func patOperation(_ request: HTTPRequest, organization: String, query: [String: String]) -> HTTPResponse {
        guard query["api-version"] != nil else {
            return .json(400, Self.object([
                "message": .string("No api-version was supplied for the request."),
                "typeKey": .string("VssVersionNotSpecifiedException"), "errorCode": .int(0), "eventId": .int(3000),
            ]))
        }
        switch request.method {
        case "GET":
            if let id = query["authorizationId"] { return result(id: id, organization: organization) }
            return list(organization: organization, query: query)
        case "POST": return create(organization: organization, body: request.body)
        case "PUT": return update(organization: organization, body: request.body)
        case "DELETE": return revoke(organization: organization, id: query["authorizationId"] ?? "")
        default: return .json(405, #"{"message":"method not allowed"}"#)
        }
    }

    /// `GET /{org}/_apis/connectionData`: 200 for a live PAT of the organization or a live
    /// access token (Basic with it as the password, or Bearer).
    func connectionData(_ request: HTTPRequest, organization: String) -> HTTPResponse {
        guard let credential = Self.gitCredential(request),
            acceptsPAT(credential, organization: organization, write: false) || isLiveUserToken(credential)
        else { return unauthenticated(organization: organization, origin: RequestTarget(request.url).origin) }
        return .json(200, Self.object([
            "authenticatedUser": .object(["providerDisplayName": .string("Emulated User")]),
            "instanceId": .string("7d1f0c2e-0000-0000-0000-000000000000"),
        ]))
    }

    /// The password of a request's Basic `Authorization` header (the PAT), if any.
    public static func basicPassword(_ request: HTTPRequest) -> String? {
        guard let header = request.headers.first(where: { $0.key.lowercased() == "authorization" })?.value,
            header.hasPrefix("Basic "), let decoded = Data(base64Encoded: String(header.dropFirst(6)))
        else { return nil }
        let text = String(decoding: decoded, as: UTF8.self)
        return text.firstIndex(of: ":").map { String(text[text.index(after: $0)...]) }
    }

    /// What a git request authenticates with: the Basic password, else the Bearer token.
    public static func gitCredential(_ request: HTTPRequest) -> String? {
        basicPassword(request) ?? bearerToken(request)
    }

    /// The token of a request's `Authorization: Bearer` header, if any.
    static func bearerToken(_ request: HTTPRequest) -> String? {
        guard let header = request.headers.first(where: { $0.key.lowercased() == "authorization" })?.value,
            header.hasPrefix("Bearer ")
        else { return nil }
        return String(header.dropFirst(7))
    }

    private func isSignedIn(_ request: HTTPRequest) -> Bool {
        Self.bearerToken(request).map(isLiveUserToken) ?? false
    }

    /// The failure `fault` answers with; nil when the normal answer goes out (late, for `slow`).
    private func response(for fault: EmulatorFault, organization: String, request: HTTPRequest) -> HTTPResponse? {
        switch fault {
        case .throttle(let seconds):
            return .json(429, #"{"message":"Request was blocked due to exceeding usage of resource."}"#,
                headers: ["Retry-After": String(seconds)])
        case .serverError: return .json(500, #"{"message":"Internal server error","eventId":0}"#)
        case .signInPage: return .signInPage
        case .signInRedirect:
            return HTTPResponse(
                status: 302,
                headers: [
                    "Location": "https://app.vssps.visualstudio.com/_signin?realm=dev.azure.com&reply_to="
                        + URLQuery.escape(request.url),
                    "Content-Type": "text/html; charset=utf-8",
                ], body: Data("<html><body>Object moved</body></html>".utf8))
        case .truncatedJSON: return .json(200, #"{"patToken":{"displayName":"trunc"#)
        case .malformedJSON:
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data("<html>oops".utf8))
        case .unauthorized: return unauthenticated(organization: organization, origin: RequestTarget(request.url).origin)
        case .forbidden:
            return .json(403, Self.object([
                "message": .string("TF400813: The user is not authorized to access this resource."),
                "typeKey": .string("UnauthorizedRequestException"), "errorCode": .int(0), "eventId": .int(3000),
            ]))
        case .tokenError(let code): return Self.failure(code, "Injected \(code).")
        case .slow, .reset, .resetAfterProcessing: return nil
        }
    }

    private static func tokenResult(_ token: JSONValue, error: String = "none", message: String? = nil)
        -> HTTPResponse
    {
        var fields: [String: JSONValue] = ["patToken": token, "patTokenError": .string(error)]
        if let message { fields["patTokenErrorMessage"] = .string(message) }
        return .json(200, object(fields))
    }

    private static func failure(_ error: String, _ message: String) -> HTTPResponse {
        tokenResult(.null, error: error, message: message)
    }

    private func describe(_ id: String, _ pat: EmulatorState.PAT, includeToken: Bool) -> JSONValue {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        func date(_ seconds: Int64) -> JSONValue { .string(style.format(Date(timeIntervalSince1970: Double(seconds)))) }
        return .object([
            "authorizationId": .string(id), "displayName": .string(pat.displayName), "scope": .string(pat.scope),
            "targetAccounts": pat.allOrgs ? .null : .array([.string("7d1f0c2e-0000-0000-0000-000000000000")]),
            "validFrom": date(pat.validFrom), "validTo": date(pat.validTo),
            "token": includeToken ? .string(pat.token) : .null,
        ])
    }

    private func result(id: String, organization: String) -> HTTPResponse {
        guard let pat = withState({ $0.pats[id] }), pat.organization == organization else {
            return Self.failure("authorizationNotFound", "The authorization was not found.")
        }
        return Self.tokenResult(describe(id, pat, includeToken: false))
    }

    private func list(organization: String, query: [String: String]) -> HTTPResponse {
        let time = currentTime
        let filter = query["displayFilterOption"] ?? "active"
        let top = min(max(Int(query["$top"] ?? "") ?? 100, 1), 100)
        let start = Int(query["continuationToken"] ?? "") ?? 0
        let matching = withState { $0.pats }.filter {
            $0.value.organization == organization && $0.value.isShown(by: filter, at: time)
        }.sorted { ($0.value.displayName, $0.key) < ($1.value.displayName, $1.key) }
        let page = matching.dropFirst(start).prefix(top)
        let next = start + page.count < matching.count ? String(start + page.count) : ""
        return .json(200, Self.object([
            "continuationToken": .string(next),
            "patTokens": .array(page.map { describe($0.key, $0.value, includeToken: false) }),
        ]))
    }

    private struct CreateBody: Decodable {
        var displayName: String?
        var scope: String?
        var validTo: String?
        var allOrgs: Bool?
    }

    private struct UpdateBody: Decodable {
        var authorizationId: String?
        var displayName: String?
        var scope: String?
        var validTo: String?
        var allOrgs: Bool?
    }

    private func parseDate(_ text: String?) -> Int64? {
        guard let text else { return nil }
        let date = (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
        return date.map { Int64($0.timeIntervalSince1970) }
    }

    private func create(organization: String, body: Data?) -> HTTPResponse {
        guard let body, let request = try? JSONDecoder().decode(CreateBody.self, from: body) else {
            return .json(400, #"{"message":"The request body is not valid JSON.","eventId":3000}"#)
        }
        let time = currentTime
        let policy = withState { $0.policy }
        guard let name = request.displayName, !name.isEmpty else {
            return Self.failure("displayNameRequired", "A display name is required.")
        }
        guard let scope = request.scope, !scope.isEmpty else { return Self.failure("invalidScope", "Scope is required.") }
        if policy.disableCreation && !policy.creationAllowlisted {
            return Self.failure(
                "disablePatCreationPolicyViolation",
                "Your organization has restricted personal access token creation. Contact your administrator.")
        }
        if request.allOrgs == true && time >= Self.globalPATRetirement {
            return Self.failure("globalPatPolicyViolation", "Global personal access tokens are no longer supported.")
        }
        if policy.forbidFullScope && scope.split(separator: " ").contains("app_token") {
            return Self.failure("fullScopePatPolicyViolation", "Full-scoped PATs are restricted by policy.")
        }
        guard let validTo = parseDate(request.validTo), validTo > time else {
            return Self.failure("invalidValidTo", "validTo must be a future date.")
        }
        let clamped = min(validTo, time + Int64(policy.maximumLifespanDays) * 86_400)
        let id = Self.uuid()
        let pat = EmulatorState.PAT(
            organization: organization, displayName: name, scope: scope, validFrom: time, validTo: clamped,
            token: Random.token(length: 84), allOrgs: request.allOrgs ?? false)
        withState { $0.pats[id] = pat }
        recordIssued([pat.token])
        return Self.tokenResult(describe(id, pat, includeToken: true))
    }

    /// An update must carry all five fields of `PatTokenUpdateRequest`: the contract does not
    /// say a missing one is left alone, so a client that leaves one out is refused here.
    private func update(organization: String, body: Data?) -> HTTPResponse {
        guard let body, let request = try? JSONDecoder().decode(UpdateBody.self, from: body) else {
            return .json(400, #"{"message":"The request body is not valid JSON.","eventId":3000}"#)
        }
        guard let id = request.authorizationId, let name = request.displayName, let scope = request.scope,
            let validToText = request.validTo, let allOrgs = request.allOrgs
        else {
            return .json(400, Self.object([
                "message": .string(
                    "An update needs authorizationId, displayName, scope, validTo and allOrgs."),
                "typeKey": .string("InvalidArgumentValueException"), "errorCode": .int(0), "eventId": .int(3000),
            ]))
        }
        let time = currentTime
        let policy = withState { $0.policy }
        guard var pat = withState({ $0.pats[id] }), pat.organization == organization, !pat.revoked else {
            return Self.failure("authorizationNotFound", "The authorization was not found.")
        }
        guard let validTo = parseDate(validToText) else {
            return Self.failure("invalidValidTo", "validTo must be a future date.")
        }
        if validTo != pat.validTo {
            guard pat.validTo > time else {
                return Self.failure("expiredPatCannotBeExtended", "An expired PAT cannot be extended.")
            }
            guard validTo > time else { return Self.failure("invalidValidTo", "validTo must be a future date.") }
            pat.validTo = min(validTo, pat.validFrom + Int64(policy.maximumLifespanDays) * 86_400)
        }
        if policy.forbidFullScope && scope.split(separator: " ").contains("app_token") {
            return Self.failure("fullScopePatPolicyViolation", "Full-scoped PATs are restricted by policy.")
        }
        if (allOrgs || pat.allOrgs) && time >= Self.globalPATRetirement {
            return Self.failure("globalPatPolicyViolation", "Global personal access tokens are no longer supported.")
        }
        pat.scope = scope
        pat.displayName = name
        pat.allOrgs = allOrgs
        let updated = pat
        withState { $0.pats[id] = updated }
        return Self.tokenResult(describe(id, updated, includeToken: false))
    }

    private func revoke(organization: String, id: String) -> HTTPResponse {
        let found = withState { state -> Bool in
            guard let pat = state.pats[id], pat.organization == organization, !pat.revoked else { return false }
            state.pats[id]?.revoked = true
            return true
        }
        return found ? HTTPResponse(status: 204) : Self.failure("authorizationNotFound", "The authorization was not found.")
    }

    static func uuid() -> String {
        let hex = Random.token(length: 32, alphabet: "0123456789abcdef")
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
