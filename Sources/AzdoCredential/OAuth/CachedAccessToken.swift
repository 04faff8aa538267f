/// A Microsoft Entra access token for Azure DevOps, cached in the keyring for git when an
/// organization's `azdo.credentialType` is `oauth`. It lives about an hour; the refresh
/// token that renews it is never handed to git.
public struct CachedAccessToken: Sendable, Equatable {
    /// The git server it is for (`https://dev.azure.com`, or an extra host).
    public var server: String
    /// The organization, lower-cased.
    public var organization: String
    /// The signed-in account (its UPN), empty when the token did not name it.
    public var account: String
    /// The token.
    public var token: Secret
    /// When it expires, Unix seconds.
    public var expiresAt: Int64

    /// Creates a record.
    public init(server: String, organization: String, account: String, token: Secret, expiresAt: Int64) {
        self.server = server
        self.organization = organization
        self.account = account
        self.token = token
        self.expiresAt = expiresAt
    }

    /// How close to its expiry a token is no longer handed out: git may hold it for a
    /// while, and a push of a large repository can take minutes.
    public static let renewalMarginSeconds: Int64 = 300

    /// Whether `secret` has the shape of an Entra access token (a JWT: three dot-separated
    /// base64url parts, the first a JSON object), which no PAT has.
    public static func looksLikeAccessToken(_ secret: Secret) -> Bool {
        secret.value.hasPrefix("eyJ") && secret.value.split(separator: ".", omittingEmptySubsequences: false).count == 3
    }

    /// Whether it may still be handed to git at `now`.
    public func isUsable(at now: Int64) -> Bool {
        expiresAt - Self.renewalMarginSeconds > now
    }
}

/// Where cached access tokens live: the keyring, beside the PATs.
public protocol AccessTokenStore: Sendable {
    /// Every cached token for the organization on `server`, with its item id.
    func accessTokens(server: String, organization: String) throws(KeyringError)
        -> [(id: String, token: CachedAccessToken)]

    /// Stores `token`, then removes the organization's other cached tokens.
    func saveAccessToken(_ token: CachedAccessToken) throws(KeyringError)

    /// Removes the cached token with item id `id`.
    func removeAccessToken(id: String) throws(KeyringError)
}

extension AccessTokenStore {
    /// The cached token for the organization that lives longest, if it is still usable.
    public func usableAccessToken(server: String, organization: String, at now: Int64) throws(KeyringError)
        -> CachedAccessToken?
    {
        try accessTokens(server: server, organization: organization).map(\.token)
            .filter { $0.isUsable(at: now) }.max { $0.expiresAt < $1.expiresAt }
    }
}
