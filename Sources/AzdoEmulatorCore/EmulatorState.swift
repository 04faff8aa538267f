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
        var revoked = false
    }

    var deviceCodes: [String: DeviceCode] = [:]
    var refreshTokens: [String: String] = [:]  // refresh token -> client id
    var accessTokens: [String: Int64] = [:]  // access token -> expiry
    var pats: [String: PAT] = [:]  // authorization id -> PAT
    var policy = EmulatorPolicy()
    var faults: [EmulatorFault] = []
    var requestLog: [String] = []
}

/// Organization policies the emulator enforces, as Azure DevOps administrators can set them.
public struct EmulatorPolicy: Sendable, Equatable {
    /// The longest PAT lifespan allowed, in days; longer requests are clamped.
    public var maximumLifespanDays: Int = 365
    /// Refuse full-scope (`app_token`) PATs with `fullScopePatPolicyViolation`.
    public var forbidFullScope = false
    /// Refuse every PAT creation with `disablePatCreationPolicyViolation`.
    public var disableCreation = false

    /// The default policy: one year, everything allowed.
    public init() {}
}

/// A failure the emulator injects into the next API response.
public enum EmulatorFault: Sendable, Equatable {
    /// HTTP 429 with `Retry-After`.
    case throttle(retryAfterSeconds: Int)
    /// HTTP 500.
    case serverError
    /// HTTP 203 with an HTML sign-in page.
    case signInPage
    /// A 200 whose JSON body is cut in half.
    case truncatedJSON
}
