import AzdoCredential

/// The item attributes this tool writes, and their mapping to `StoredCredential`.
/// Attributes are stored in clear, so none of them ever holds a secret.
enum KeyringAttributes {
    static let kind = "kind"
    static let server = "server"
    static let organization = "org"
    static let user = "user"
    static let source = "source"
    static let storedAt = "stored_at"
    static let validTo = "valid_to"
    static let validFrom = "valid_from"
    static let authorizationID = "authorization_id"
    static let scope = "scope"
    static let displayName = "display_name"
    static let allOrganizations = "all_orgs"

    /// A random value each new item gets, so a store whose answer was lost can find
    /// exactly the item it made (see `SecretServiceStore.storeItem`).
    static let nonce = "item_nonce"

    static let tenant = "tenant"
    static let clientID = "client_id"

    /// `kind` of a PAT item.
    static let patKind = "pat"
    /// `kind` of an Entra refresh-token item; its `server` is the authority.
    static let refreshTokenKind = "refresh_token"

    /// `kind` of a cached Entra access token for git; `valid_to` is its expiry.
    static let accessTokenKind = "access_token"

    /// The attributes that identify an organization's cached access tokens.
    static func accessTokenQuery(server: String, organization: String) -> [String: String] {
        [kind: accessTokenKind, Self.server: server, Self.organization: organization]
    }

    /// The attributes that identify a refresh-token item.
    static func refreshTokenQuery(authority: String, tenant: String, clientID: String) -> [String: String] {
        [kind: refreshTokenKind, server: authority, Self.tenant: tenant, Self.clientID: clientID]
    }

    /// The attributes for `credential`; unknown optional facts are left out.
    static func attributes(of credential: StoredCredential) -> [String: String] {
        let metadata = credential.metadata
        var attributes = [
            kind: patKind, server: credential.server, organization: credential.organization,
            user: credential.username, source: metadata.source.rawValue, storedAt: String(metadata.storedAt),
        ]
        attributes[validTo] = metadata.validTo.map { String($0) }
        attributes[validFrom] = metadata.validFrom.map { String($0) }
        attributes[authorizationID] = metadata.authorizationID
        attributes[scope] = metadata.scope
        attributes[displayName] = metadata.displayName
        if metadata.isGlobal { attributes[allOrganizations] = "true" }
        return attributes
    }

    /// The item's secret for `credential`: the PAT, then git's refresh token on a line of its
    /// own when there is one (`SecretLines`).
    static func secret(of credential: StoredCredential) -> Secret {
        SecretLines(password: credential.secret, oauthRefreshToken: credential.oauthRefreshToken).joined
    }

    /// The credential an item holds, or `nil` when it lacks the attributes or the (non-empty)
    /// secret every item of ours has.
    static func credential(from attributes: [String: String], secret: Secret?) -> StoredCredential? {
        // An empty secret is never a PAT: kwalletd5 answers a read it could not decrypt with one.
        guard let secret, !secret.isEmpty, let server = attributes[server], let organization = attributes[organization]
        else {
            return nil
        }
        let parts = SecretLines(parsing: secret)
        guard !parts.password.isEmpty else { return nil }
        var metadata = PATMetadata(
            source: attributes[source].flatMap(CredentialSource.init(rawValue:)) ?? .typed,
            storedAt: attributes[storedAt].flatMap { Int64($0) } ?? 0,
            validTo: attributes[validTo].flatMap { Int64($0) },
            validFrom: attributes[validFrom].flatMap { Int64($0) },
            authorizationID: attributes[authorizationID],
            scope: attributes[scope],
            displayName: attributes[displayName])
        metadata.isGlobal = attributes[allOrganizations] == "true"
        return StoredCredential(
            server: server, organization: organization, username: attributes[user] ?? "", secret: parts.password,
            metadata: metadata, oauthRefreshToken: parts.oauthRefreshToken)
    }
}
