public import AzdoCredential

extension SecretServiceStore: AccessTokenStore {
    /// Every cached access token for the organization on `server`.
    public func accessTokens(server: String, organization: String) throws(KeyringError)
        -> [(id: String, token: CachedAccessToken)]
    {
        let query = KeyringAttributes.accessTokenQuery(server: server, organization: organization)
        return try lockAwareSearch(query).compactMap { item in
            // An empty secret is never a token: kwalletd5 answers a read it could not decrypt with one.
            guard let secret = item.secret, !secret.isEmpty,
                let expiresAt = item.attributes[KeyringAttributes.validTo].flatMap({ Int64($0) })
            else { return nil }
            return (item.path, CachedAccessToken(
                server: server, organization: organization, account: item.attributes[KeyringAttributes.user] ?? "",
                token: secret, expiresAt: expiresAt))
        }
    }

    /// Writes the new token, then removes the organization's others.
    public func saveAccessToken(_ token: CachedAccessToken) throws(KeyringError) {
        var attributes = KeyringAttributes.accessTokenQuery(server: token.server, organization: token.organization)
        attributes[KeyringAttributes.user] = token.account
        attributes[KeyringAttributes.validTo] = String(token.expiresAt)
        try storeItem(
            attributes, label: "Azure DevOps access token for \(token.organization) (Microsoft Entra)", secret: token.token)
        for old in try accessTokens(server: token.server, organization: token.organization)
        where old.token.token != token.token {
            try remove(id: old.id)
        }
    }

    /// Removes one cached token.
    public func removeAccessToken(id: String) throws(KeyringError) {
        try remove(id: id)
    }
}
