public import AzdoHTTP
import FoundationEssentials

/// Everything the emulator remembers: sign-ins, tokens, PATs, policies and injected faults.
struct EmulatorState {
    struct DeviceCode {
        var userCode: String
        var clientID: String
        var expiresAt: Int64
        var approved = false
        var declined = false
        var lastPoll: Int64? = nil
    }

    struct PAT {
        var organization: String
        var displayName: String
        var scope: String
        var validFrom: Int64
        var validTo: Int64
        var token: String
        var allOrgs = false
        var revoked = false

        /// Whether a list with `displayFilterOption` `filter` (`active`, the default,
        /// `revoked`, `expired` or `all`) shows this PAT at `time`.
        func isShown(by filter: String, at time: Int64) -> Bool {
            switch filter {
            case "revoked": return revoked
            case "expired": return !revoked && validTo <= time
            case "all": return true
            default: return !revoked && validTo > time
            }
        }
    }

    var deviceCodes: [String: DeviceCode] = [:]
    /// An authorization code of a browser sign-in, until redeemed or expired.
    struct AuthorizationCode {
        var clientID: String
        var redirectURI: String
        var challenge: String
        var expiresAt: Int64
    }
    var authorizationCodes: [String: AuthorizationCode] = [:]
    var redeemedCodes: Set<String> = []
    /// How the person at the browser answers the next sign-in: `approve`, `deny` or
    /// `consent-required`.
    var authorizeMode = "approve"
    /// How long the sign-in page takes to send the browser back, in seconds.
    var authorizeDelay = 0
    /// Whether Conditional Access blocks device-code sign-ins.
    var blockDeviceCode = false
    /// Whether Conditional Access wants a new interactive sign-in (MFA) before any refresh.
    var requireInteraction = false
    /// Seconds an access token lives (Entra's are 60 to 90 minutes; tests shorten them).
    var accessTokenLifetime: Int64 = 3_600
    /// How many times each grant type was redeemed, for tests that count renewals.
    var grants: [String: Int] = [:]
    /// App registrations that may use the client-credentials grant.
    struct ServicePrincipal {
        var tenant: String
        var secret: String?
        /// The certificate (PEM) whose key signs its client assertions, if it has one.
        var certificate: String?
        /// The CI platforms whose OIDC tokens it accepts as assertions (federated credentials).
        var federated: Set<String>
        var organizations: Set<String>
    }
    var servicePrincipals: [String: ServicePrincipal] = [:]  // client id -> registration
    var managedIdentities: [String: Set<String>] = [:]  // system | client id | resource id -> organizations
    var oidcRequestTokens: [String: String] = [:]  // a platform's request token -> platform
    var oidcTokens: [String: (platform: String, expiresAt: Int64)] = [:]  // OIDC token -> issuer platform
    var identityTokens: [String: (expiresAt: Int64, organizations: Set<String>)] = [:]  // access token -> grant
    var refreshTokens: [String: String] = [:]  // refresh token -> client id
    var accessTokens: [String: Int64] = [:]  // access token -> expiry
    var pats: [String: PAT] = [:]  // authorization id -> PAT
    var policy = EmulatorPolicy()
    var faults: [(fault: EmulatorFault, method: String?)] = []  // method nil: any call
    var tenants: [String: String] = [:]  // organization -> Entra tenant id
    var clockOffset: Int64 = 0
    var issuedSecrets: [String] = []
    var gitLog: [EmulatorGitAccess] = []
}

/// Organization policies the emulator enforces, as Azure DevOps administrators can set them.
public struct EmulatorPolicy: Sendable, Equatable {
    /// The longest PAT lifespan allowed, in days; longer requests are clamped.
    public var maximumLifespanDays: Int = 365
    /// Refuse full-scope (`app_token`) PATs with `fullScopePatPolicyViolation`.
    public var forbidFullScope = false
    /// Refuse every PAT creation with `disablePatCreationPolicyViolation`.
    public var disableCreation = false
    /// The signed-in user is on the policy's allowlist, so `disableCreation` spares them.
    public var creationAllowlisted = false

    /// The default policy: one year, everything allowed.
    public init() {}
}

/// A failure the emulator injects into the next PAT API response.
public enum EmulatorFault: Sendable, Equatable {
    /// HTTP 429 with `Retry-After`.
    case throttle(retryAfterSeconds: Int)
    /// HTTP 500.
    case serverError
    /// HTTP 203 with an HTML sign-in page.
    case signInPage
    /// HTTP 302 to the sign-in page on another host, as a browser's request is answered.
    case signInRedirect
    /// A 200 whose JSON body is cut in half.
    case truncatedJSON
    /// A 200 whose body is not JSON at all.
    case malformedJSON
    /// HTTP 401, as for an access token the service no longer accepts.
    case unauthorized
    /// HTTP 403, as for a user without permission on the organization.
    case forbidden
    /// A 200 carrying `patTokenError` `code` (e.g. `accessDenied`).
    case tokenError(String)
    /// The normal answer, sent only after `seconds` (past a client's timeout).
    case slow(seconds: Int)
    /// No answer at all: the connection is closed as soon as the request arrives.
    case reset
    /// The request is carried out, then the connection is closed without an answer (a
    /// reply lost on its way back: the client cannot tell whether a create happened).
    case resetAfterProcessing

    /// The fault named by the control endpoint's query: `kind` is `throttle` (with
    /// `retry-after`), `server-error`, `sign-in-page`, `sign-in-redirect`, `truncated-json`, `malformed-json`,
    /// `unauthorized`, `forbidden`, `token-error` (with `code`), `slow` (with `seconds`),
    /// `reset` or `reset-after` (`resetAfterProcessing`).
    public init?(query: [String: String]) {
        switch query["kind"] {
        case "throttle": self = .throttle(retryAfterSeconds: Int(query["retry-after"] ?? "") ?? 1)
        case "server-error": self = .serverError
        case "sign-in-page": self = .signInPage
        case "sign-in-redirect": self = .signInRedirect
        case "truncated-json": self = .truncatedJSON
        case "malformed-json": self = .malformedJSON
        case "unauthorized": self = .unauthorized
        case "forbidden": self = .forbidden
        case "token-error":
            guard let code = query["code"], !code.isEmpty else { return nil }
            self = .tokenError(code)
        case "slow": self = .slow(seconds: Int(query["seconds"] ?? "") ?? 5)
        case "reset": self = .reset
        case "reset-after": self = .resetAfterProcessing
        default: return nil
        }
    }
}

/// One git smart-HTTP request as the emulator saw it: the organization in the path and the
/// organization of the PAT presented (never the PAT itself), so tests can prove no PAT
/// went to the wrong organization.
public struct EmulatorGitAccess: Sendable, Equatable {
    /// The organization the request was for.
    public var organization: String
    /// The organization whose PAT came with it; nil for no PAT or one the emulator never issued.
    public var tokenOrganization: String?
    /// Whether the request was let through.
    public var accepted: Bool
    /// Whether it came with an Entra access token (as a Basic password or a Bearer token)
    /// rather than a PAT.
    public var entra: Bool = false
}

/// What the emulator answers, and how long to hold it back.
public struct EmulatorReply: Sendable {
    /// The response.
    public var response: HTTPResponse
    /// Seconds to wait before sending it (a `slow` fault).
    public var delaySeconds: Int
    /// Whether to close the connection instead of answering (a `reset` fault).
    public var resetConnection = false
}
