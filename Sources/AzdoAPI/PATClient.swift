public import AzdoCredential
public import AzdoHTTP
import FoundationEssentials

/// The PAT Lifecycle Management API of one organization
/// (`{base}/{organization}/_apis/tokens/pats`), called with a Microsoft Entra access token.
///
/// Transient failures (HTTP 429 and 5xx, time-outs, broken connections) of the idempotent
/// calls are retried a bounded number of times with backoff, honouring `Retry-After`; every
/// other failure is thrown at once as a `PATClientError`. A create (POST) is retried only
/// after a 429, which says it was not carried out: after a time-out, a broken connection or
/// a 5xx it may have been, so the caller reconciles instead (`PATCreation`).
public struct PATClient: Sendable {
    /// The API version sent with every call.
    public static let apiVersion = "7.1-preview.1"
    /// The production base URL.
    public static let defaultBaseURL = "https://vssps.dev.azure.com"

    private let organization: String
    private let baseURL: String
    private let accessToken: Secret
    private let transport: any HTTPTransport
    private let sleeper: any RetrySleeper
    private let maximumAttempts: Int

    /// Creates a client for `organization`; `baseURL` is replaced only for the emulator.
    public init(
        organization: String, accessToken: Secret, transport: any HTTPTransport, sleeper: any RetrySleeper,
        baseURL: String = PATClient.defaultBaseURL, maximumAttempts: Int = 3
    ) {
        self.organization = organization
        self.accessToken = accessToken
        self.transport = transport
        self.sleeper = sleeper
        self.baseURL = baseURL
        self.maximumAttempts = max(1, maximumAttempts)
    }

    /// Creates an organization-scoped PAT; the answer carries its secret.
    public func create(_ request: PATCreateRequest) async throws(PATClientError) -> PATToken {
        let response = try await send("POST", query: [], body: try encode(request))
        return try api { () throws(PATAPIError) in try PATResponse.token(response) }
    }

    /// Changes a PAT's expiry, scope or name; the secret stays the same.
    public func update(_ request: PATUpdateRequest) async throws(PATClientError) -> PATToken {
        let response = try await send("PUT", query: [], body: try encode(request))
        return try api { () throws(PATAPIError) in try PATResponse.token(response) }
    }

    /// One PAT by id.
    public func token(authorizationID: String) async throws(PATClientError) -> PATToken {
        let response = try await send("GET", query: [("authorizationId", authorizationID)], body: nil)
        return try api { () throws(PATAPIError) in try PATResponse.token(response) }
    }

    /// Every PAT matching `filter` (`active`, `revoked`, `expired` or `all`), across pages.
    public func list(filter: String = "active") async throws(PATClientError) -> [PATToken] {
        var tokens: [PATToken] = []
        var continuation: String? = nil
        repeat {
            var query = [("displayFilterOption", filter), ("sortByOption", "displayName"), ("$top", "100")]
            if let continuation { query.append(("continuationToken", continuation)) }
            let response = try await send("GET", query: query, body: nil)
            let page = try api { () throws(PATAPIError) in try PATResponse.page(response) }
            tokens += page.patTokens
            continuation = page.continuationToken.flatMap { $0.isEmpty ? nil : $0 }
        } while continuation != nil
        return tokens
    }

    /// Revokes a PAT.
    public func revoke(authorizationID: String) async throws(PATClientError) {
        let response = try await send("DELETE", query: [("authorizationId", authorizationID)], body: nil)
        try api { () throws(PATAPIError) in try PATResponse.revoked(response) }
    }

    // MARK: - Plumbing

    private func send(_ method: String, query: [(String, String)], body: Data?) async throws(PATClientError)
        -> HTTPResponse
    {
        let parameters = URLQuery.encode([("api-version", Self.apiVersion)] + query)
        var headers = ["Authorization": "Bearer \(accessToken.value)", "Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json" }
        let request = HTTPRequest(
            method: method, url: "\(baseURL)/\(URLQuery.escape(organization))/_apis/tokens/pats?\(parameters)",
            headers: headers, body: body)
        let idempotent = method != "POST"
        var attempt = 1
        while true {
            let wait: Int
            do {
                let response = try await transport.send(request)
                let retryable = response.status == 429 || (idempotent && (500..<600).contains(response.status))
                guard retryable, attempt < maximumAttempts else { return response }
                let retryAfter = response.headers.first { $0.key.lowercased() == "retry-after" }
                    .flatMap { Int($0.value) }
                wait = min(retryAfter ?? backoff(attempt), 60)
            } catch {
                guard idempotent, attempt < maximumAttempts else { throw .transport(error, attempts: attempt) }
                wait = backoff(attempt)
            }
            await sleeper.sleep(seconds: wait)
            attempt += 1
        }
    }

    private func backoff(_ attempt: Int) -> Int { 1 << (attempt - 1) }

    private func encode(_ value: some Encodable) throws(PATClientError) -> Data {
        do { return try JSONEncoder().encode(value) } catch { throw .api(.malformedResponse(detail: "unencodable request")) }
    }

    private func api<T>(_ body: () throws(PATAPIError) -> T) throws(PATClientError) -> T {
        do { return try body() } catch { throw .api(error) }
    }
}

/// Why a PAT API call failed: no answer at all, or an answer that is a failure.
public enum PATClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No HTTP answer after `attempts` tries.
    case transport(TransportError, attempts: Int)
    /// The service answered with a failure.
    case api(PATAPIError)

    /// One line: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .transport(let error, let attempts):
            return "could not reach Azure DevOps (\(error), \(attempts) attempts); check the network or proxy settings"
        case .api(let error): return error.description
        }
    }

    /// Whether the organization forbids creating PATs (Restrict PAT creation, without the
    /// user on its allowlist): `disablePatCreationPolicyViolation`.
    public var forbidsPATCreation: Bool { tokenError == "disablePatCreationPolicyViolation" }

    /// Whether Azure DevOps refused a global (all-organization) PAT: `globalPatPolicyViolation`.
    public var refusesGlobalPAT: Bool { tokenError == "globalPatPolicyViolation" || tokenError == "globalPATCreationBlocked" }

    private var tokenError: String? {
        if case .api(.tokenError(let error, _)) = self { return error.rawValue }
        return nil
    }
}

extension PATResponse {
    static func token(_ response: HTTPResponse) throws(PATAPIError) -> PATToken {
        try token(status: response.status, headers: response.headers, body: response.body)
    }

    static func page(_ response: HTTPResponse) throws(PATAPIError) -> PagedPATTokens {
        try page(status: response.status, headers: response.headers, body: response.body)
    }

    static func revoked(_ response: HTTPResponse) throws(PATAPIError) {
        try revoked(status: response.status, headers: response.headers, body: response.body)
    }
}
