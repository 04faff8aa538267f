/// Everything git can send to a credential helper, as parsed from its `key=value` lines.
///
/// Attribute names and meanings follow git's `gitcredentials(7)` up to git 2.47; unknown
/// keys are dropped by the parser so future git versions cannot break the helper.
public struct CredentialRequest: Sendable, Equatable {
    /// `protocol`, e.g. `https`.
    public var `protocol`: String?
    /// `host`, including `:port` when the URL had one.
    public var host: String?
    /// `path`, present only with `credential.useHttpPath` for http(s) remotes.
    public var path: String?
    /// `username`, from the URL, `credential.username` or an earlier helper.
    public var username: String?
    /// `password`: for `store` the one that worked, for `erase` the one that was rejected.
    public var password: Secret?
    /// `password_expiry_utc`, Unix seconds (git 2.40+); `nil` when absent or not a number.
    public var passwordExpiryUTC: Int64?
    /// `oauth_refresh_token` (git 2.41+).
    public var oauthRefreshToken: Secret?
    /// `url`, kept as sent; its parts are already applied to the fields above.
    public var url: String?
    /// `wwwauth[]`: the `WWW-Authenticate` header values of the 401 (git 2.41+).
    public var wwwAuth: [String] = []
    /// `capability[]`: what the caller can handle in the answer (git 2.46+).
    public var capabilities: [String] = []
    /// `authtype`, e.g. `basic` or `bearer` (git 2.46+).
    public var authType: String?
    /// `credential`: a pre-encoded credential for `authtype` (git 2.46+).
    public var credential: Secret?
    /// `ephemeral`: the credential must not be persisted (git 2.46+).
    public var ephemeral: Bool = false
    /// `state[]`: opaque values helpers asked git to echo back (git 2.46+).
    public var state: [String] = []
    /// `continue`: multistage authentication is in progress (git 2.46+).
    public var `continue`: Bool = false
    /// `quit`: stop asking helpers.
    public var quit: Bool = false

    /// An empty request.
    public init() {}

    /// Clears the fields a `url=` line replaces, as git's `credential_from_url` does.
    mutating func resetForURL() {
        self.protocol = nil
        host = nil
        path = nil
        username = nil
        password = nil
    }
}
