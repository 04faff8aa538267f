/// What a helper answers to `get`.
///
/// Attributes that need a capability (`authtype`, `credential`, `ephemeral`, `continue`
/// need `authtype`; `state[]` needs `state`) are written only when the request declared
/// that capability, preceded by the matching `capability[]` line, so older git versions
/// (2.39 has none of them) only ever see `username`/`password`/`password_expiry_utc`.
public struct CredentialResponse: Sendable, Equatable {
    /// `username`.
    public var username: String?
    /// `password`: the PAT.
    public var password: Secret?
    /// `password_expiry_utc`, Unix seconds, when the expiry is known.
    public var passwordExpiryUTC: Int64?
    /// `oauth_refresh_token`, given back as `store` received it (git 2.41 and later send it
    /// only to helpers, and only git versions that understand it ever gave us one).
    public var oauthRefreshToken: Secret?
    /// `authtype` (needs the `authtype` capability).
    public var authType: String?
    /// `credential` (needs the `authtype` capability).
    public var credential: Secret?
    /// `ephemeral` (needs the `authtype` capability).
    public var ephemeral: Bool = false
    /// `continue` (needs the `authtype` capability).
    public var `continue`: Bool = false
    /// `state[]` (needs the `state` capability).
    public var state: [String] = []
    /// `quit`: tell git to stop asking helpers and not to prompt.
    public var quit: Bool = false

    /// A response with the basic fields.
    public init(username: String? = nil, password: Secret? = nil, passwordExpiryUTC: Int64? = nil) {
        self.username = username
        self.password = password
        self.passwordExpiryUTC = passwordExpiryUTC
    }

    /// The protocol lines for a caller that declared `capabilities`, or `nil` when a value
    /// contains a newline, carriage return or NUL (git would die on it).
    public func serialized(capabilities: [String]) -> String? {
        let authTypeAllowed = capabilities.contains("authtype")
        let stateAllowed = capabilities.contains("state")
        let usesAuthType = authType != nil || credential != nil || ephemeral || self.continue
        var lines: [(String, String)] = []
        if usesAuthType && authTypeAllowed { lines.append(("capability[]", "authtype")) }
        if !state.isEmpty && stateAllowed { lines.append(("capability[]", "state")) }
        if let username { lines.append(("username", username)) }
        if let password { lines.append(("password", password.value)) }
        if let passwordExpiryUTC { lines.append(("password_expiry_utc", String(passwordExpiryUTC))) }
        if let oauthRefreshToken { lines.append(("oauth_refresh_token", oauthRefreshToken.value)) }
        if authTypeAllowed {
            if let authType { lines.append(("authtype", authType)) }
            if let credential { lines.append(("credential", credential.value)) }
            if ephemeral { lines.append(("ephemeral", "true")) }
            if self.continue { lines.append(("continue", "true")) }
        }
        if stateAllowed { lines += state.map { ("state[]", $0) } }
        if quit { lines.append(("quit", "true")) }
        var output = ""
        for (key, value) in lines {
            guard !value.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) else { return nil }
            output += "\(key)=\(value)\n"
        }
        return output
    }
}
