public import AzdoCredential
public import AzdoHTTP
public import AzdoSystem
import FoundationEssentials

/// Where and as whom to sign in to Microsoft Entra for Azure DevOps.
public struct EntraConfiguration: Sendable, Equatable {
    /// The Azure DevOps resource's v2 scope, plus `offline_access` for a refresh token.
    public static let azureDevOpsScope = "499b84ac-1321-427f-aa17-267ca6975798/.default offline_access"
    /// Azure DevOps' resource (application) id in Microsoft Entra.
    public static let azureDevOpsResource = "499b84ac-1321-427f-aa17-267ca6975798"

    /// The authority host, e.g. `https://login.microsoftonline.com`.
    public var authority: String
    /// The tenant: a GUID, a domain, `organizations` or `common`.
    public var tenant: String
    /// The public client's application id.
    public var clientID: String

    /// Creates a configuration.
    public init(authority: String, tenant: String, clientID: String) {
        self.authority = authority
        self.tenant = tenant
        self.clientID = clientID
    }

    var tokenURL: String { "\(authority)/\(URLQuery.escape(tenant))/oauth2/v2.0/token" }
    var deviceCodeURL: String { "\(authority)/\(URLQuery.escape(tenant))/oauth2/v2.0/devicecode" }
    var authorizeURL: String { "\(authority)/\(URLQuery.escape(tenant))/oauth2/v2.0/authorize" }
}

/// A browser sign-in in progress (OAuth 2.0 authorization code with PKCE, RFC 7636): what
/// the browser opens, and what the redirect must carry back.
public struct BrowserSignIn: Sendable {
    /// The page the browser opens: Entra's sign-in, which redirects to `redirectURI`.
    public var url: String
    /// Where Entra sends the browser back (a loopback listener).
    public var redirectURI: String
    /// The random value the redirect must carry back unchanged.
    public var state: String
    /// The PKCE verifier, kept here and sent only with the code.
    var pkce: PKCE
}

/// What the user must do to finish a device-code sign-in.
public struct DeviceCodeChallenge: Sendable, Equatable {
    /// The code the user types at `verificationURI`.
    public var userCode: String
    /// Where to type it.
    public var verificationURI: String
    /// Entra's own instructions, for stderr.
    public var message: String
    /// Seconds until the code expires.
    public var expiresIn: Int
    /// Seconds to wait between polls.
    public var interval: Int
    /// The secret that the polls present.
    var deviceCode: Secret
}

/// The result of a sign-in or refresh.
public struct EntraTokens: Sendable, Equatable {
    /// The access token for Azure DevOps (valid about an hour).
    public var accessToken: Secret
    /// The refresh token; Entra rotates it, so store the new one every time.
    public var refreshToken: Secret?
    /// Seconds until `accessToken` expires.
    public var expiresIn: Int
}

/// Why a sign-in or refresh failed.
public enum EntraError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The user declined the sign-in.
    case declined
    /// The device code expired before the user finished.
    case expired
    /// Entra no longer accepts the refresh token (expired, revoked, password changed) or
    /// wants an interactive sign-in (MFA, Conditional Access).
    case signInRequired(code: String)
    /// Entra answered with another OAuth error.
    case service(code: String, description: String?)
    /// The answer was not the documented JSON.
    case malformedResponse
    /// No answer.
    case transport(TransportError)

    /// One line: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .declined: return "the Microsoft sign-in was declined; run `git credential-azdo login` again to retry"
        case .expired: return "the sign-in code expired before it was used; run `git credential-azdo login` again"
        case .signInRequired(let code):
            return "Microsoft Entra needs you to sign in again (\(code)); run `git credential-azdo login`"
        case .service(_, let description?) where description.hasPrefix("AADSTS53003"):
            return "this organization's Conditional Access blocks this sign-in (AADSTS53003), as many block "
                + "device-code sign-in; run `git credential-azdo login --browser` on a machine with a browser, "
                + "or use the Azure CLI's sign-in (`az login`, then `--azure-cli` on `pat` commands)"
        case .service(let code, let description):
            // Entra's description goes on with Trace ID, Correlation ID and Timestamp lines.
            let detail = description.flatMap { $0.split(whereSeparator: \.isNewline).first }.map { ": \($0)" } ?? ""
            return "Microsoft Entra refused the request (\(code))\(detail)"
        case .malformedResponse: return "Microsoft Entra sent an answer that is not the documented JSON; try again later"
        case .transport(let error): return "could not reach Microsoft Entra (\(error)); check the network or proxy settings"
        }
    }
}

/// The OAuth 2.0 device-code flow and refresh-token grant against Microsoft Entra (v2).
public struct EntraClient: Sendable {
    private let configuration: EntraConfiguration
    private let transport: any HTTPTransport
    private let sleeper: any RetrySleeper
    private let clock: any WallClock

    /// Creates a client; `clock` measures how long a sign-in has been waited for.
    public init(
        configuration: EntraConfiguration, transport: any HTTPTransport, sleeper: any RetrySleeper,
        clock: any WallClock
    ) {
        self.configuration = configuration
        self.transport = transport
        self.sleeper = sleeper
        self.clock = clock
    }

    /// Asks Entra for a device code.
    public func startDeviceCode() async throws(EntraError) -> DeviceCodeChallenge {
        let body = try await post(configuration.deviceCodeURL, [
            ("client_id", configuration.clientID), ("scope", EntraConfiguration.azureDevOpsScope),
        ])
        guard let deviceCode = body.deviceCode, let userCode = body.userCode, let uri = body.verificationUri
        else { throw .malformedResponse }
        return DeviceCodeChallenge(
            userCode: userCode, verificationURI: uri, message: body.message ?? "", expiresIn: body.expiresIn ?? 900,
            interval: max(1, body.interval ?? 5), deviceCode: Secret(deviceCode))
    }

    /// Polls until the user finishes: waits `interval` between polls, 5 s longer after each
    /// `slow_down`, and gives up when the code expires: after `expiresIn` seconds of sleeps
    /// or by `clock`, whichever comes first (slow answers count: the code does not wait).
    public func waitForSignIn(_ challenge: DeviceCodeChallenge, progress: any ProgressDisplay = NoProgress())
        async throws(EntraError) -> EntraTokens
    {
        var interval = challenge.interval
        var slept = 0
        var waited = 0
        let started = clock.now()
        defer { progress.clear() }
        while waited < challenge.expiresIn {
            await sleeper.sleep(seconds: interval)
            slept += interval
            waited = max(slept, Int(clock.now() - started))
            guard waited <= challenge.expiresIn else { break }
            let left = challenge.expiresIn - waited
            progress.show("waiting for the sign-in… (the code expires in \(left / 60):\(left % 60 < 10 ? "0" : "")\(left % 60))")
            do {
                return try await tokens([
                    ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                    ("client_id", configuration.clientID), ("device_code", challenge.deviceCode.value),
                ])
            } catch {
                switch error {
                case .service(code: "authorization_pending", _): continue
                case .service(code: "slow_down", _): interval += 5
                case .service(code: "authorization_declined", _): throw .declined
                case .service(code: "expired_token", _): throw .expired
                default: throw error
                }
            }
        }
        throw .expired
    }

    /// Starts a browser sign-in whose redirect goes to `redirectURI` (for a public client,
    /// `http://localhost:PORT`, on any port).
    public func startBrowserSignIn(redirectURI: String) -> BrowserSignIn {
        let pkce = PKCE()
        let state = PKCE.randomValue()
        let query = URLQuery.encode([
            ("client_id", configuration.clientID), ("response_type", "code"), ("redirect_uri", redirectURI),
            ("response_mode", "query"), ("scope", EntraConfiguration.azureDevOpsScope), ("state", state),
            ("code_challenge", pkce.challenge), ("code_challenge_method", "S256"),
        ])
        return BrowserSignIn(
            url: "\(configuration.authorizeURL)?\(query)", redirectURI: redirectURI, state: state, pkce: pkce)
    }

    /// Trades the code a browser sign-in's redirect brought for tokens.
    public func finishBrowserSignIn(_ signIn: BrowserSignIn, code: Secret) async throws(EntraError) -> EntraTokens {
        try await tokens([
            ("grant_type", "authorization_code"), ("client_id", configuration.clientID), ("code", code.value),
            ("redirect_uri", signIn.redirectURI), ("code_verifier", signIn.pkce.verifier),
            ("scope", EntraConfiguration.azureDevOpsScope),
        ])
    }

    /// Trades a refresh token for new tokens (including a new refresh token).
    public func refresh(_ refreshToken: Secret) async throws(EntraError) -> EntraTokens {
        do {
            return try await tokens([
                ("grant_type", "refresh_token"), ("client_id", configuration.clientID),
                ("refresh_token", refreshToken.value), ("scope", EntraConfiguration.azureDevOpsScope),
            ])
        } catch {
            if case .service(let code, _) = error, code == "invalid_grant" || code == "interaction_required" {
                throw .signInRequired(code: code)
            }
            throw error
        }
    }

    /// The client-credentials grant: a token for the app itself, proved by its `secret`, or
    /// by `assertion` (a signed JWT, or a CI platform's federated OIDC token).
    public func clientCredentials(secret: Secret? = nil, assertion: Secret? = nil) async throws(EntraError)
        -> EntraTokens
    {
        var form = [
            ("grant_type", "client_credentials"), ("client_id", configuration.clientID),
            ("scope", EntraConfiguration.azureDevOpsResource + "/.default"),
        ]
        if let secret { form.append(("client_secret", secret.value)) }
        if let assertion {
            form += [
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", assertion.value),
            ]
        }
        return try await tokens(form)
    }

    private func tokens(_ form: [(String, String)]) async throws(EntraError) -> EntraTokens {
        let body = try await post(configuration.tokenURL, form)
        guard let access = body.accessToken else { throw .malformedResponse }
        return EntraTokens(
            accessToken: Secret(access), refreshToken: body.refreshToken.map(Secret.init),
            expiresIn: body.expiresIn ?? 3600)
    }

    /// The fields of Entra's device-code, token and error answers.
    private struct Answer: Decodable {
        var error: String?
        var errorDescription: String?
        var deviceCode: String?
        var userCode: String?
        var verificationUri: String?
        var message: String?
        var expiresIn: Int?
        var interval: Int?
        var accessToken: String?
        var refreshToken: String?
    }

    /// POSTs a form and decodes the answer; an OAuth `error` becomes `.service`.
    private func post(_ url: String, _ form: [(String, String)]) async throws(EntraError) -> Answer {
        let encoded = URLQuery.encode(form)
        let request = HTTPRequest(
            method: "POST", url: url,
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
            body: Data(encoded.utf8))
        let response: HTTPResponse
        do { response = try await transport.send(request) } catch { throw .transport(error) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let answer = try? decoder.decode(Answer.self, from: response.body) else {
            throw .malformedResponse
        }
        if let code = answer.error { throw .service(code: code, description: answer.errorDescription) }
        guard (200..<300).contains(response.status) else { throw .malformedResponse }
        return answer
    }
}
