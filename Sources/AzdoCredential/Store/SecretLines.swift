/// The layout of a keyring secret that holds more than a password, as git-credential-libsecret
/// (git 2.41 and later) writes it and this tool's items do too: the password, then lines
/// `password_expiry_utc=…` and `oauth_refresh_token=…`. No value can hold a newline: git's
/// protocol forbids it.
public struct SecretLines: Sendable, Equatable {
    /// The first line.
    public var password: Secret
    /// `password_expiry_utc`, when present.
    public var passwordExpiryUTC: Int64?
    /// `oauth_refresh_token`, when present and not empty.
    public var oauthRefreshToken: Secret?

    /// A secret with these parts.
    public init(password: Secret, passwordExpiryUTC: Int64? = nil, oauthRefreshToken: Secret? = nil) {
        self.password = password
        self.passwordExpiryUTC = passwordExpiryUTC
        self.oauthRefreshToken = oauthRefreshToken
    }

    /// The parts of `secret`; a secret of one line is all password.
    public init(parsing secret: Secret) {
        let lines = secret.value.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1 else {
            self.init(password: secret)
            return
        }
        func value(_ key: String) -> String? {
            lines.dropFirst().first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
        }
        self.init(
            password: Secret(String(lines[0])), passwordExpiryUTC: value("password_expiry_utc").flatMap { Int64($0) },
            oauthRefreshToken: value("oauth_refresh_token").flatMap { $0.isEmpty ? nil : Secret($0) })
    }

    /// The secret to store: the password alone when there is nothing else.
    public var joined: Secret {
        var text = password.value
        if let passwordExpiryUTC { text += "\npassword_expiry_utc=\(passwordExpiryUTC)" }
        if let oauthRefreshToken { text += "\noauth_refresh_token=" + oauthRefreshToken.value }
        return text == password.value ? password : Secret(text)
    }
}
