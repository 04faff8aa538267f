/// How a stored PAT came to be in the keyring.
public enum CredentialSource: String, Sendable, CaseIterable {
    /// Typed at git's prompt and captured by `store`.
    case typed
    /// Created by this tool through the PAT Lifecycle Management API.
    case created
    /// Imported by the user (`pat import`) or from another credential helper.
    case imported
}

/// Non-secret facts about a PAT, kept as keyring attributes next to it.
public struct PATMetadata: Sendable, Equatable {
    /// Where the PAT came from.
    public var source: CredentialSource
    /// When this tool stored it, Unix seconds.
    public var storedAt: Int64
    /// When it stops working, Unix seconds; `nil` when unknown (a PAT typed at a prompt).
    public var validTo: Int64?
    /// When it started working, Unix seconds, when known.
    public var validFrom: Int64?
    /// The PAT's id in the PAT Lifecycle Management API, for PATs this tool created.
    public var authorizationID: String?
    /// Space-separated scopes, when known.
    public var scope: String?
    /// The display name shown in Azure DevOps, when known.
    public var displayName: String?
    /// Whether Azure DevOps lists it as a global (all-organization) PAT, which it stopped
    /// accepting on 2026-12-01; found by `refresh` (nothing else can tell).
    public var isGlobal = false

    /// Creates metadata; only `source` and `storedAt` are always known.
    public init(
        source: CredentialSource, storedAt: Int64, validTo: Int64? = nil, validFrom: Int64? = nil,
        authorizationID: String? = nil, scope: String? = nil, displayName: String? = nil
    ) {
        self.source = source
        self.storedAt = storedAt
        self.validTo = validTo
        self.validFrom = validFrom
        self.authorizationID = authorizationID
        self.scope = scope
        self.displayName = displayName
    }
}

/// A PAT for one organization and account, as the store keeps it.
public struct StoredCredential: Sendable, Equatable {
    /// The server the PAT may be sent to (see `RemoteTarget.server`).
    public var server: String
    /// The organization, lower-cased.
    public var organization: String
    /// The username git uses with it.
    public var username: String
    /// The PAT.
    public var secret: Secret
    /// Everything else known about it.
    public var metadata: PATMetadata
    /// The `oauth_refresh_token` git (2.41 and later) passed with it, kept for an OAuth
    /// helper later in git's list; as secret as the password.
    public var oauthRefreshToken: Secret?

    /// Creates a credential.
    public init(
        server: String, organization: String, username: String, secret: Secret, metadata: PATMetadata,
        oauthRefreshToken: Secret? = nil
    ) {
        self.server = server
        self.organization = organization
        self.username = username
        self.secret = secret
        self.metadata = metadata
        self.oauthRefreshToken = oauthRefreshToken
    }

    /// Whether the PAT is known to have stopped working at `now`.
    public func isExpired(at now: Int64) -> Bool {
        metadata.validTo.map { $0 <= now } ?? false
    }
}

/// A credential found in a store, with the store's handle for deleting exactly it.
public struct StoredItem: Sendable, Equatable {
    /// Opaque, store-specific identity of the item (a D-Bus object path for the keyring).
    public var id: String
    /// The credential.
    public var credential: StoredCredential

    /// Creates an item.
    public init(id: String, credential: StoredCredential) {
        self.id = id
        self.credential = credential
    }
}
