public import FoundationEssentials

/// `PatTokenCreateRequest`: the body of a create call.
public struct PATCreateRequest: Sendable, Equatable, Encodable {
    /// The name shown in Azure DevOps.
    public var displayName: String
    /// Space-separated scopes.
    public var scope: String
    /// The wanted expiry; the service may clamp it to its lifespan policy.
    public var validTo: Date
    /// Whether the PAT works in every organization. This tool always sends `false`:
    /// global PATs stop working on 2026-12-01.
    public var allOrgs: Bool

    /// Creates an organization-scoped request.
    public init(displayName: String, scope: String, validTo: Date) {
        self.displayName = displayName
        self.scope = scope
        self.validTo = validTo
        self.allOrgs = false
    }

    /// Encodes `validTo` in the API's date format.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(scope, forKey: .scope)
        try container.encode(APIDate.string(validTo), forKey: .validTo)
        try container.encode(allOrgs, forKey: .allOrgs)
    }

    enum CodingKeys: String, CodingKey { case displayName, scope, validTo, allOrgs }
}

/// `PatTokenUpdateRequest`: the body of an update call; only the fields set are changed,
/// and the secret stays the same.
public struct PATUpdateRequest: Sendable, Equatable, Encodable {
    /// Which PAT to change.
    public var authorizationID: String
    /// A new display name.
    public var displayName: String?
    /// New space-separated scopes.
    public var scope: String?
    /// A new expiry (clamped to creation date plus the lifespan policy).
    public var validTo: Date?

    /// Creates an update of `authorizationID`.
    public init(authorizationID: String, displayName: String? = nil, scope: String? = nil, validTo: Date? = nil) {
        self.authorizationID = authorizationID
        self.displayName = displayName
        self.scope = scope
        self.validTo = validTo
    }

    /// Encodes only the fields that are set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(authorizationID, forKey: .authorizationID)
        try container.encodeIfPresent(displayName, forKey: .displayName)
        try container.encodeIfPresent(scope, forKey: .scope)
        try container.encodeIfPresent(validTo.map(APIDate.string), forKey: .validTo)
    }

    enum CodingKeys: String, CodingKey {
        case authorizationID = "authorizationId"
        case displayName, scope, validTo
    }
}
