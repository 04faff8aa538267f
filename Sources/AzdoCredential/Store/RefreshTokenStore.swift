/// A Microsoft Entra refresh token, kept in the keyring beside the PATs so the PAT API can
/// be called again without a new sign-in. Entra rotates it on every use.
public struct StoredRefreshToken: Sendable, Equatable {
    /// The authority it was issued by, e.g. `https://login.microsoftonline.com`.
    public var authority: String
    /// The tenant it was issued for.
    public var tenant: String
    /// The public client it was issued to.
    public var clientID: String
    /// The refresh token.
    public var token: Secret
    /// When it was stored, Unix seconds (Entra drops tokens unused for 90 days).
    public var storedAt: Int64
    /// The signed-in account (UPN), when the access token named it.
    public var account: String?

    /// Creates a record.
    public init(
        authority: String, tenant: String, clientID: String, token: Secret, storedAt: Int64, account: String? = nil
    ) {
        self.authority = authority
        self.tenant = tenant
        self.clientID = clientID
        self.token = token
        self.storedAt = storedAt
        self.account = account
    }
}

/// Where the Entra refresh token lives: one per authority, tenant and client.
public protocol RefreshTokenStore: Sendable {
    /// The stored refresh token, if any.
    func refreshToken(authority: String, tenant: String, clientID: String) throws(KeyringError) -> StoredRefreshToken?

    /// Stores `token`, replacing the previous one only after the new one is written.
    func saveRefreshToken(_ token: StoredRefreshToken) throws(KeyringError)

    /// Deletes the stored refresh token (sign-out).
    func removeRefreshToken(authority: String, tenant: String, clientID: String) throws(KeyringError)

    /// Every stored sign-in for this authority and client, without reading a secret: each
    /// record's `token` is empty.
    func signIns(authority: String, clientID: String) throws(KeyringError) -> [StoredRefreshToken]
}

extension RefreshTokenStore {
    /// The tenants a refresh token is stored for, for this authority and client, sorted.
    public func signedInTenants(authority: String, clientID: String) throws(KeyringError) -> [String] {
        Set(try signIns(authority: authority, clientID: clientID).map(\.tenant)).sorted()
    }
}
