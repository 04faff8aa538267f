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

/// `PatTokenUpdateRequest`: the body of an update call. The secret stays the same.
///
/// Every field is always sent: the documented contract does not promise that a missing
/// field is left alone, so an update is built from a fresh read of the token
/// (`init(token:)`) with only the wanted change made, and is correct under either reading.
public struct PATUpdateRequest: Sendable, Equatable, Encodable {
    /// Which PAT to change.
    public var authorizationID: String
    /// The display name.
    public var displayName: String
    /// Space-separated scopes.
    public var scope: String
    /// The expiry (clamped to creation date plus the lifespan policy).
    public var validTo: Date
    /// Whether the PAT works in every organization (a global PAT).
    public var allOrgs: Bool

    /// Creates an update that sets every field.
    public init(authorizationID: String, displayName: String, scope: String, validTo: Date, allOrgs: Bool) {
        self.authorizationID = authorizationID
        self.displayName = displayName
        self.scope = scope
        self.validTo = validTo
        self.allOrgs = allOrgs
    }

    /// An update that changes nothing about `token`, to have one field changed.
    /// A token without target accounts is a global one (`allOrgs`).
    public init(token: PATToken) {
        self.init(
            authorizationID: token.authorizationID, displayName: token.displayName, scope: token.scope,
            validTo: token.validTo, allOrgs: token.targetAccounts == nil)
    }

    /// Encodes all five fields, `validTo` in the API's date format.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(authorizationID, forKey: .authorizationID)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(scope, forKey: .scope)
        try container.encode(APIDate.string(validTo), forKey: .validTo)
        try container.encode(allOrgs, forKey: .allOrgs)
    }

    enum CodingKeys: String, CodingKey {
        case authorizationID = "authorizationId"
        case displayName, scope, validTo, allOrgs
    }
}
