public import AzdoCredential
public import FoundationEssentials

/// A PAT as the PAT Lifecycle Management API describes it. `token` is present only in the
/// answer to a create call, and is a `Secret` so it never shows up in descriptions.
public struct PATToken: Sendable, Equatable, Decodable {
    /// The PAT's id, used to update or revoke it.
    public var authorizationID: String
    /// The name shown in Azure DevOps.
    public var displayName: String
    /// Space-separated scopes.
    public var scope: String
    /// Organization ids it works in; `nil` means every organization (a global PAT).
    public var targetAccounts: [String]?

    /// Whether it is a global (all-organization) PAT: one without target accounts. Azure
    /// DevOps stopped accepting those on 2026-12-01 (`PATToken.globalRetirement`).
    public var isGlobal: Bool { targetAccounts?.isEmpty ?? true }

    /// When global PATs stopped working: 2026-12-01T00:00:00Z.
    public static let globalRetirement: Int64 = 1_796_083_200
    /// The secret, only right after creation.
    public var token: Secret?
    /// When it started working.
    public var validFrom: Date
    /// When it stops working.
    public var validTo: Date

    enum CodingKeys: String, CodingKey {
        case authorizationID = "authorizationId"
        case displayName, scope, targetAccounts, token, validFrom, validTo
    }

    /// Decodes the API's JSON; dates with or without fractional seconds.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        authorizationID = try container.decode(String.self, forKey: .authorizationID)
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName) ?? ""
        scope = try container.decodeIfPresent(String.self, forKey: .scope) ?? ""
        targetAccounts = try container.decodeIfPresent([String].self, forKey: .targetAccounts)
        token = try container.decodeIfPresent(String.self, forKey: .token).map(Secret.init)
        validFrom = try APIDate.decode(container, .validFrom)
        validTo = try APIDate.decode(container, .validTo)
    }

    /// Creates a token description, as the emulator and tests build them.
    public init(
        authorizationID: String, displayName: String, scope: String, targetAccounts: [String]?, token: Secret?,
        validFrom: Date, validTo: Date
    ) {
        self.authorizationID = authorizationID
        self.displayName = displayName
        self.scope = scope
        self.targetAccounts = targetAccounts
        self.token = token
        self.validFrom = validFrom
        self.validTo = validTo
    }
}

/// `PatTokenResult`: the answer to get, create and update.
public struct PATTokenResult: Sendable, Equatable, Decodable {
    /// The PAT, when the call succeeded.
    public var patToken: PATToken?
    /// `none` on success; anything else is a failure even with HTTP 200.
    public var patTokenError: PATTokenError
    /// The service's explanation of a failure.
    public var patTokenErrorMessage: String?
}

/// `PagedPatTokens`: one page of a list call.
public struct PagedPATTokens: Sendable, Equatable, Decodable {
    /// Pass back to get the next page; empty or absent on the last page.
    public var continuationToken: String?
    /// The PATs on this page (never with their secret).
    public var patTokens: [PATToken]
}

/// Azure DevOps' general error body (`message`, `typeKey`, …) for non-PAT failures.
public struct ServiceErrorBody: Sendable, Equatable, Decodable {
    /// The human-readable message.
    public var message: String
    /// The .NET exception type name, e.g. `InvalidAccessException`.
    public var typeName: String?
    /// A stable key for the error type.
    public var typeKey: String?
    /// A numeric code, often 0.
    public var errorCode: Int?
    /// The event id, e.g. 3000.
    public var eventId: Int?
}

extension PATToken {
    /// What the keyring keeps about this PAT next to its secret.
    public func metadata(source: CredentialSource, storedAt: Int64) -> PATMetadata {
        PATMetadata(
            source: source, storedAt: storedAt, validTo: Int64(validTo.timeIntervalSince1970),
            validFrom: Int64(validFrom.timeIntervalSince1970), authorizationID: authorizationID, scope: scope,
            displayName: displayName)
    }
}
