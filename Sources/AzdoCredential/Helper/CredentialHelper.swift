public import AzdoSystem

/// git's `get`, `store` and `erase` for Azure DevOps PATs.
///
/// - `get` answers with the newest unexpired PAT stored for the organization (and the
///   account git named, if any), with `password_expiry_utc` when the expiry is known and
///   the `oauth_refresh_token` stored with it. An expired PAT is never returned; if it came
///   with a refresh token, only the username and that token are, so an OAuth helper after
///   this one can renew it. On any problem it reports one line and answers nothing, so git
///   falls back to its prompt.
/// - `store` keeps what git confirmed worked; storing the value already there is a no-op.
///   A blank username (Enter at git's username prompt: Azure DevOps ignores it with a PAT)
///   stores the PAT as the organization's default account, which `get` answers with.
///   A new value is added before the old one is removed, so a concurrent `get` always
///   finds one of them.
/// - `erase` removes only the PAT git says was rejected (a stale erase cannot delete a
///   newer token); without a password it removes the organization's PATs.
///
/// For an organization whose credential type is `oauth` (see `OAuthCredentials`), `get`
/// answers with a Microsoft Entra access token instead (or, when none can be had, a PAT
/// still stored for it), `store` keeps nothing (the token is cached already), and `erase`
/// removes only the cached token git names, never the sign-in.
public struct CredentialHelper: Sendable {
    private let store: any CredentialStore
    private let resolver: RemoteResolver
    private let clock: any WallClock
    private let diagnostics: any DiagnosticSink
    private let reminder: (any ExpiryReminder)?
    private let oauth: OAuthCredentials?

    /// Creates a helper over its seams; with `reminder`, `get` reminds on stderr of a PAT
    /// that expires soon; with `oauth`, organizations can use Entra access tokens.
    public init(
        store: any CredentialStore, resolver: RemoteResolver, clock: any WallClock,
        diagnostics: any DiagnosticSink, reminder: (any ExpiryReminder)? = nil, oauth: OAuthCredentials? = nil
    ) {
        self.store = store
        self.resolver = resolver
        self.clock = clock
        self.diagnostics = diagnostics
        self.reminder = reminder
        self.oauth = oauth
    }

    /// The credential for `request`, or `nil` when git should ask someone else.
    public func get(_ request: CredentialRequest) -> CredentialResponse? {
        guard let target = target(for: request) else { return nil }
        if let oauth {
            // git config runs while the keyring is searched: a cached `get` costs about the
            // longer of the two, not their sum.
            let pending = oauth.types.lookUp(organization: target.organization, diagnostics: diagnostics)
            let keyringToken = pending.mayUseKeyringToken ? cachedToken(in: oauth.tokens, for: target) : nil
            switch pending.result() {
            case .pat: break
            case .oauth:
                // Without a token (the renewal failed and said why), a PAT still stored for
                // the organization keeps git working until it expires.
                let cached = keyringToken ?? cachedToken(in: oauth.tokens, for: target)
                if let answer = accessTokenAnswer(request, target: target, cached: cached, oauth: oauth) { return answer }
            case .identity(.failure(let error)):
                diagnostics.report(error.description)
                return nil
            case .identity(.success(let identity)):
                // No keyring on this path: CI runners and servers rarely have one.
                let cached = cachedToken(in: oauth.identityTokens(identity), for: target)
                return accessTokenAnswer(request, target: target, cached: cached, oauth: oauth)
            }
        }
        let items: [StoredItem]
        do throws(KeyringError) {
            items = try store.credentials(server: target.server, organization: target.organization)
        } catch {
            diagnostics.report(error.description)
            return nil
        }
        let now = clock.now()
        let candidates = items.map(\.credential).filter { Self.matches($0, account: target.account) }
        guard let best = Self.newest(candidates.filter { !$0.isExpired(at: now) }) else {
            if let expired = Self.newest(candidates), let refreshToken = expired.oauthRefreshToken {
                var response = CredentialResponse(username: Self.username(of: expired, target))
                response.oauthRefreshToken = refreshToken
                return response
            }
            if let expired = Self.newest(candidates), let validTo = expired.metadata.validTo {
                diagnostics.report(
                    "the PAT stored for \(target.organization) expired on \(CivilDate.string(fromUnixSeconds: validTo)); "
                        + "create a new one in Azure DevOps (User settings > Personal access tokens) "
                        + "and paste it at git's password prompt")
            }
            return nil
        }
        if let validTo = best.metadata.validTo, let reminder,
            reminder.shouldRemind(server: target.server, organization: target.organization, validTo: validTo, now: now)
        {
            diagnostics.report(Self.reminderText(best, organization: target.organization, validTo: validTo, now: now))
        }
        var response = CredentialResponse(
            username: Self.username(of: best, target), password: best.secret, passwordExpiryUTC: best.metadata.validTo)
        response.oauthRefreshToken = best.oauthRefreshToken
        return response
    }

    /// The username `get` answers with: the stored one, else the organization's name.
    private static func username(of credential: StoredCredential, _ target: RemoteTarget) -> String {
        credential.username.isEmpty ? target.organization : credential.username
    }

    /// The one-line reminder: which PAT, when, and the command that fixes it.
    static func reminderText(_ credential: StoredCredential, organization: String, validTo: Int64, now: Int64) -> String {
        let days = (validTo - now) / 86_400
        let when = days == 0 ? "within a day" : days == 1 ? "in 1 day" : "in \(days) days"
        let name = credential.metadata.displayName.map { " ('\(DisplayText.quoted($0))')" } ?? ""
        let fix = credential.metadata.authorizationID != nil
            ? "`git credential-azdo refresh` renews it now"
            : "replace it with `git credential-azdo pat create --org \(organization)`"
        return "the PAT for \(organization)\(name) expires on \(CivilDate.string(fromUnixSeconds: validTo)), \(when); \(fix)"
    }

    /// What `target`'s organization uses, when the helper can answer with access tokens.
    private func choice(for target: RemoteTarget) -> CredentialChoice {
        oauth?.types.lookUp(organization: target.organization, diagnostics: diagnostics).result() ?? .pat
    }

    /// The usable token `store` holds for `target`, or why the store failed.
    private func cachedToken(in store: any AccessTokenStore, for target: RemoteTarget)
        -> Result<CachedAccessToken?, KeyringError>
    {
        Result { () throws(KeyringError) in
            try store.usableAccessToken(server: target.server, organization: target.organization, at: clock.now())
        }
    }

    /// The `cached` access token when usable, else a renewed one, as git wants it:
    /// `authtype=Bearer` when it announced the capability, else Basic with the token as the
    /// password.
    private func accessTokenAnswer(
        _ request: CredentialRequest, target: RemoteTarget, cached: Result<CachedAccessToken?, KeyringError>,
        oauth: OAuthCredentials
    ) -> CredentialResponse? {
        let token: CachedAccessToken?
        switch cached {
        case .success(let found): token = found
        case .failure(let error):
            diagnostics.report(error.description)
            return nil
        }
        guard let token = token ?? oauth.renewer.renew(server: target.server, organization: target.organization)
        else { return nil }
        var response = CredentialResponse(passwordExpiryUTC: token.expiresAt)
        if request.capabilities.contains("authtype") {
            response.authType = "Bearer"
            response.credential = token.token
        } else {
            response.username = token.account.isEmpty ? target.organization : token.account
            response.password = token.token
        }
        return response
    }

    /// Removes the cached access tokens in `tokens` that are `secret`; whether there was one.
    private func eraseAccessToken(_ secret: Secret, in tokens: any AccessTokenStore, target: RemoteTarget)
        throws(KeyringError) -> Bool
    {
        let doomed = try tokens.accessTokens(server: target.server, organization: target.organization)
            .filter { $0.token.token == secret }
        for item in doomed { try tokens.removeAccessToken(id: item.id) }
        return !doomed.isEmpty
    }

    /// Saves the credential git confirmed worked.
    public func store(_ request: CredentialRequest) throws(HelperError) {
        guard let target = try targetOrThrow(for: request) else { return }
        // An access token given by `get` comes back here: it is cached already.
        if request.credential != nil { return }
        switch choice(for: target) {
        case .pat: break
        case .identity: return
        case .oauth:
            // An access token is never kept as a PAT: not the cached one, nor one another git
            // command replaced in the meantime.
            if let password = request.password, CachedAccessToken.looksLikeAccessToken(password) { return }
        }
        guard let password = request.password, !password.isEmpty else { throw .missingPassword }
        let username = request.username.flatMap { $0.isEmpty ? nil : $0 } ?? target.organization
        let now = clock.now()
        if request.ephemeral { return }
        if let expiry = request.passwordExpiryUTC, expiry != 0, expiry <= now { return }
        do throws(KeyringError) {
            let existing = try store.credentials(server: target.server, organization: target.organization)
                .filter { $0.credential.username.lowercased() == username.lowercased() }
            let refreshToken = request.oauthRefreshToken.flatMap { $0.isEmpty ? nil : $0 }
            let same = existing.filter { $0.credential.secret == password }
            if !same.isEmpty && (refreshToken == nil || same.contains { $0.credential.oauthRefreshToken == refreshToken }) {
                return
            }
            let expiry = request.passwordExpiryUTC.flatMap { $0 > 0 ? $0 : nil }
            var credential = StoredCredential(
                server: target.server, organization: target.organization, username: username, secret: password,
                metadata: PATMetadata(source: .typed, storedAt: now, validTo: expiry), oauthRefreshToken: refreshToken)
            // The same PAT with a new refresh token keeps what is known about the PAT.
            if let kept = same.first?.credential { credential.metadata = kept.metadata }
            try store.replace(with: credential) {
                $0.username.lowercased() == username.lowercased() && $0 != credential
            }
        } catch {
            throw .keyring(error)
        }
    }

    /// Removes the rejected credential (or, without a password, the organization's PATs).
    public func erase(_ request: CredentialRequest) throws(HelperError) {
        guard let target = try targetOrThrow(for: request) else { return }
        if let oauth {
            let choice = choice(for: target)
            let tokens: any AccessTokenStore
            switch choice {
            case .identity(.success(let identity)): tokens = oauth.identityTokens(identity)
            case .identity(.failure): return
            case .pat, .oauth: tokens = oauth.tokens
            }
            let secret = request.credential ?? (choice == .pat ? nil : request.password)
            if let secret {
                do throws(KeyringError) {
                    // A rejected access token (Bearer, or Basic where git gets tokens) goes
                    // alone; a Bearer credential never names a PAT, and a workload identity
                    // has no PATs (nor, often, a keyring).
                    if try eraseAccessToken(secret, in: tokens, target: target) || request.credential != nil { return }
                    if case .identity = choice { return }
                } catch {
                    throw .keyring(error)
                }
            }
        }
        do throws(KeyringError) {
            let doomed = try store.credentials(server: target.server, organization: target.organization).filter { item in
                Self.matches(item.credential, account: target.account)
                    && (request.password.map { $0 == item.credential.secret } ?? true)
            }
            for item in doomed { try store.remove(id: item.id) }
        } catch {
            throw .keyring(error)
        }
    }

    private func target(for request: CredentialRequest) -> RemoteTarget? {
        switch resolver.resolve(request, diagnostics: diagnostics) {
        case .notOurs: return nil
        case .refused(let refusal):
            diagnostics.report(refusal.description)
            return nil
        case .target(let target): return target
        }
    }

    private func targetOrThrow(for request: CredentialRequest) throws(HelperError) -> RemoteTarget? {
        switch resolver.resolve(request, diagnostics: diagnostics) {
        case .notOurs: return nil
        case .refused(let refusal): throw .refused(refusal)
        case .target(let target): return target
        }
    }

    private static func matches(_ credential: StoredCredential, account: String?) -> Bool {
        account.map { credential.username.lowercased() == $0.lowercased() } ?? true
    }

    /// The most recently stored credential; among equals, the one that lives longest.
    private static func newest(_ credentials: [StoredCredential]) -> StoredCredential? {
        credentials.max { a, b in
            (a.metadata.storedAt, a.metadata.validTo ?? .max) < (b.metadata.storedAt, b.metadata.validTo ?? .max)
        }
    }
}
