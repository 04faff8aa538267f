/// The `patTokenError` field of a PAT Lifecycle Management API result.
///
/// Failures can arrive inside an HTTP 200 with this field set, so every result is checked.
/// The cases are the 37 values of the 7.2 specification; a value added later decodes as
/// `.unknown` instead of failing the whole response.
public enum PATTokenError: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// Every value the 7.2 specification lists, `none` first.
    public static let knownValues: [String] = [
        "none", "displayNameRequired", "invalidDisplayName", "invalidValidTo", "invalidScope", "userIdRequired",
        "invalidUserId", "invalidUserType", "accessDenied", "failedToIssueAccessToken", "invalidClient",
        "invalidClientType", "invalidClientId", "invalidTargetAccounts", "hostAuthorizationNotFound",
        "authorizationNotFound", "failedToUpdateAccessToken", "sourceNotSupported", "invalidSourceIP",
        "invalidSource", "duplicateHash", "sshPolicyDisabled", "invalidToken", "tokenNotFound",
        "invalidAuthorizationId", "failedToReadTenantPolicy", "globalPatPolicyViolation",
        "fullScopePatPolicyViolation", "patLifespanPolicyViolation", "invalidTokenType", "invalidAudience",
        "invalidSubject", "deploymentHostNotSupported", "disablePatCreationPolicyViolation",
        "failedToReadOrgPolicy", "globalPATCreationBlocked", "expiredPatCannotBeExtended",
    ]

    /// `none`: the call succeeded.
    case none
    /// One of `knownValues` other than `none`.
    case known(String)
    /// A value this version does not know.
    case unknown(String)

    /// Classifies `value` (case-sensitive, as the API spells it).
    public init(_ value: String) {
        if value == "none" {
            self = .none
        } else if Self.knownValues.contains(value) {
            self = .known(value)
        } else {
            self = .unknown(value)
        }
    }

    /// Decodes the JSON string.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// The value as the API spells it.
    public var rawValue: String {
        switch self {
        case .none: return "none"
        case .known(let value), .unknown(let value): return value
        }
    }

    /// Whether an organization policy, not the request, caused the failure.
    public var isPolicyViolation: Bool {
        rawValue.hasSuffix("PolicyViolation") || rawValue == "globalPATCreationBlocked"
            || rawValue == "failedToReadTenantPolicy" || rawValue == "failedToReadOrgPolicy"
    }

    /// The value as the API spells it.
    public var description: String { rawValue }
}
