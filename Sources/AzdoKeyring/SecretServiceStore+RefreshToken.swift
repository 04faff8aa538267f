public import AzdoCredential

extension SecretServiceStore: RefreshTokenStore {
    /// The newest refresh token stored for the authority, tenant and client.
    public func refreshToken(authority: String, tenant: String, clientID: String) throws(KeyringError)
        -> StoredRefreshToken?
    {
        try refreshTokenItems(authority: authority, tenant: tenant, clientID: clientID)
            .max { $0.token.storedAt < $1.token.storedAt }?.token
    }

    /// Writes the new token, then removes the ones it replaces.
    public func saveRefreshToken(_ token: StoredRefreshToken) throws(KeyringError) {
        var attributes = KeyringAttributes.refreshTokenQuery(
            authority: token.authority, tenant: token.tenant, clientID: token.clientID)
        attributes[KeyringAttributes.storedAt] = String(token.storedAt)
        attributes[KeyringAttributes.user] = token.account
        try storeItem(attributes, label: "Microsoft Entra sign-in for Azure DevOps (\(token.tenant))", secret: token.token)
        for old in try refreshTokenItems(authority: token.authority, tenant: token.tenant, clientID: token.clientID)
        where old.token.token != token.token {
            try remove(id: old.id)
        }
    }

    /// Deletes every refresh token stored for the authority, tenant and client.
    public func removeRefreshToken(authority: String, tenant: String, clientID: String) throws(KeyringError) {
        for item in try refreshTokenItems(authority: authority, tenant: tenant, clientID: clientID) {
            try remove(id: item.id)
        }
    }

    /// Every sign-in's attributes (no secrets are read).
    public func signIns(authority: String, clientID: String) throws(KeyringError) -> [StoredRefreshToken] {
        let query = [
            KeyringAttributes.kind: KeyringAttributes.refreshTokenKind, KeyringAttributes.server: authority,
            KeyringAttributes.clientID: clientID,
        ]
        return try lockAwareSearch(query, loadSecrets: false).compactMap { item in
            guard let tenant = item.attributes[KeyringAttributes.tenant] else { return nil }
            return StoredRefreshToken(
                authority: authority, tenant: tenant, clientID: clientID, token: Secret(""),
                storedAt: item.attributes[KeyringAttributes.storedAt].flatMap { Int64($0) } ?? 0,
                account: item.attributes[KeyringAttributes.user])
        }.sorted { $0.tenant < $1.tenant }
    }

    private func refreshTokenItems(authority: String, tenant: String, clientID: String) throws(KeyringError)
        -> [(id: String, token: StoredRefreshToken)]
    {
        let query = KeyringAttributes.refreshTokenQuery(authority: authority, tenant: tenant, clientID: clientID)
        return try lockAwareSearch(query).compactMap { item in
            guard let secret = item.secret, !secret.isEmpty else { return nil }
            let storedAt = item.attributes[KeyringAttributes.storedAt].flatMap { Int64($0) } ?? 0
            return (item.path, StoredRefreshToken(
                authority: authority, tenant: tenant, clientID: clientID, token: secret, storedAt: storedAt,
                account: item.attributes[KeyringAttributes.user]))
        }
    }
}
