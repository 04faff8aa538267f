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

    /// Creates a record.
    public init(authority: String, tenant: String, clientID: String, token: Secret, storedAt: Int64) {
        self.authority = authority
        self.tenant = tenant
        self.clientID = clientID
        self.token = token
        self.storedAt = storedAt
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

    /// The tenants a refresh token is stored for, for this authority and client.
    func signedInTenants(authority: String, clientID: String) throws(KeyringError) -> [String]
}
