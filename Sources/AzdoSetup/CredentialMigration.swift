public import AzdoCredential
public import AzdoSystem

/// `import --from gcm|libsecret`: copies the Azure DevOps credentials Git Credential Manager
/// or git's libsecret helper keep in the same keyring, so switching costs nothing. The
/// originals are never changed or deleted.
public struct CredentialMigration: Sendable {
    /// Where credentials are imported from.
    public enum Source: String, Sendable, CaseIterable {
        /// Git Credential Manager's `secretservice` store: schema
        /// `com.microsoft.GitCredentialManager`, `service` = `git:https://dev.azure.com/org`,
        /// `account` = username.
        case gcm
        /// git's `git-credential-libsecret`: schema `org.git.Password`, `protocol`, `server`,
        /// `port`, `object` (path) and `user`; the secret may carry `password_expiry_utc=`.
        case libsecret

        /// The `xdg:schema` its items carry.
        public var schema: String {
            switch self {
            case .gcm: return "com.microsoft.GitCredentialManager"
            case .libsecret: return "org.git.Password"
            }
        }
    }

    /// What one import did.
    public struct Outcome: Sendable, Equatable {
        /// `organization (account)` of each credential imported.
        public var imported: [String] = []
        /// Azure DevOps credentials already stored with the same secret.
        public var alreadyStored = 0
        /// Items that were skipped, each with why (another host, an access token, …).
        public var skipped: [String] = []
    }

    private let store: any CredentialStore
    private let resolver: RemoteResolver
    private let clock: any WallClock

    /// Creates a migration into `store`, recognising Azure DevOps the way `get` does.
    public init(store: any CredentialStore, resolver: RemoteResolver, clock: any WallClock) {
        self.store = store
        self.resolver = resolver
        self.clock = clock
    }

    /// Imports every Azure DevOps credential among `items` (read from `source`'s schema).
    public func run(_ items: [ForeignItem], from source: Source) throws(KeyringError) -> Outcome {
        var outcome = Outcome()
        for item in items {
            guard var request = Self.request(for: item, from: source) else {
                outcome.skipped.append("an item without a URL")
                continue
            }
            let parts = SecretLines(parsing: item.secret)
            let password = parts.password.value
            request.passwordExpiryUTC = parts.passwordExpiryUTC
            guard case .target(let target) = resolver.resolve(request, diagnostics: NoDiagnostics()) else {
                outcome.skipped.append("\(DisplayText.quoted(request.host ?? "?")): not Azure DevOps")
                continue
            }
            // GCM's OAuth mode stores Entra access tokens (JWTs, "eyJ…"), which expire within
            // the hour: they are no PAT to keep.
            guard !password.isEmpty, !password.hasPrefix("eyJ") else {
                outcome.skipped.append("\(target.organization): an Entra access token, not a PAT")
                continue
            }
            let username = request.username ?? target.organization
            let secret = Secret(password)
            if try store.credentials(server: target.server, organization: target.organization)
                .contains(where: { $0.credential.secret == secret })
            {
                outcome.alreadyStored += 1
                continue
            }
            try store.add(StoredCredential(
                server: target.server, organization: target.organization, username: username, secret: secret,
                metadata: PATMetadata(source: .imported, storedAt: clock.now(), validTo: request.passwordExpiryUTC),
                oauthRefreshToken: parts.oauthRefreshToken))
            outcome.imported.append("\(target.organization) (\(username))")
        }
        return outcome
    }

    /// The credential request `item` answers, as git would have sent it.
    static func request(for item: ForeignItem, from source: Source) -> CredentialRequest? {
        var request = CredentialRequest()
        switch source {
        case .gcm:
            // `{namespace}:{url}`; the namespace is "git" unless GCM_NAMESPACE changed it.
            guard let service = item.attributes["service"], let colon = service.firstIndex(of: ":"),
                let parsed = GitURL(String(service[service.index(after: colon)...]))
            else { return nil }
            request.protocol = parsed.scheme
            request.host = parsed.host
            request.path = parsed.path
            request.username = item.attributes["account"] ?? parsed.username
        case .libsecret:
            guard let host = item.attributes["server"] else { return nil }
            request.protocol = item.attributes["protocol"]
            request.host = item.attributes["port"].map { "\(host):\($0)" } ?? host
            request.path = item.attributes["object"]
            request.username = item.attributes["user"]
        }
        return request
    }
}

/// A sink that drops every line, for resolving remotes without reporting.
struct NoDiagnostics: DiagnosticSink {
    func report(_ line: String) {}
}
