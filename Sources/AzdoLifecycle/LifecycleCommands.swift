public import AzdoAPI
public import AzdoCredential
public import AzdoHTTP
public import AzdoSystem
import FoundationEssentials

/// What `login` and the `pat` commands do, over injected seams; the executable only parses
/// arguments, builds these, and prints.
public struct LifecycleCommands: Sendable {
    private var settings: LifecycleSettings
    private let transport: any HTTPTransport
    private let credentials: any CredentialStore
    private let refreshTokens: any RefreshTokenStore
    private let journal: any RotationJournal
    private let clock: any WallClock
    private let sleeper: any RetrySleeper
    private let diagnostics: any DiagnosticSink
    private let progress: any ProgressDisplay
    private let tokenLockDirectory: String?

    /// Creates the commands; `journal` is where creates are written down (the one `refresh`
    /// reads), `progress` shows the wait for a sign-in; with `tokenLockDirectory`, refresh
    /// tokens are redeemed under its renewal lock (see `SerializedTokenSource`).
    public init(
        settings: LifecycleSettings, transport: any HTTPTransport, credentials: any CredentialStore,
        refreshTokens: any RefreshTokenStore, journal: any RotationJournal, clock: any WallClock,
        sleeper: any RetrySleeper, diagnostics: any DiagnosticSink, progress: any ProgressDisplay = NoProgress(),
        tokenLockDirectory: String? = nil
    ) {
        self.tokenLockDirectory = tokenLockDirectory
        self.journal = journal
        self.progress = progress
        self.settings = settings
        self.transport = transport
        self.credentials = credentials
        self.refreshTokens = refreshTokens
        self.clock = clock
        self.sleeper = sleeper
        self.diagnostics = diagnostics
    }

    /// Whether a sign-in (a refresh token for any tenant) is stored for these settings'
    /// authority and client, or the Azure CLI's sign-in is chosen; a keyring failure counts
    /// as no.
    public var hasStoredSignIn: Bool {
        if settings.signIn == .azureCLI { return true }
        return (try? refreshTokens.signedInTenants(authority: settings.authority, clientID: settings.clientID))?.isEmpty
            == false
    }

    /// The same commands signing in to the tenant `organization` belongs to, unless a
    /// tenant was given explicitly (see `TenantDiscovery`). With `onlyIfSignedIn`, Azure
    /// DevOps is not asked when no sign-in is stored at all (the answer could not help).
    public func discoveringTenant(of organization: String, onlyIfSignedIn: Bool = false) async -> LifecycleCommands {
        if onlyIfSignedIn && !hasStoredSignIn { return self }
        var commands = self
        commands.settings = await settings.discoveringTenant(of: organization, transport: transport)
        return commands
    }

    /// The tenant sign-in goes to.
    public var tenant: String { settings.tenant }

    /// The server PATs from this API are stored under (see `LifecycleSettings.gitServer`).
    public var gitServer: String { settings.gitServer }

    /// Device-code sign-in: shows Entra's instructions, waits, and stores the refresh token.
    public func login() async throws(SignInError) {
        let entra = EntraClient(configuration: settings.entra, transport: transport, sleeper: sleeper, clock: clock)
        let challenge: DeviceCodeChallenge
        do { challenge = try await entra.startDeviceCode() } catch { throw .entra(error) }
        diagnostics.report(challenge.message)
        let tokens: EntraTokens
        do { tokens = try await entra.waitForSignIn(challenge, progress: progress) } catch { throw .entra(error) }
        try save(tokens)
    }

    /// Signs in through the browser (authorization code with PKCE): a loopback listener
    /// takes Entra's redirect, `opener` opens the sign-in page, and its URL is printed too so
    /// a person can open it by hand. Waits `seconds` at most, or until `interrupted`; the
    /// refresh token is stored only after the code was redeemed.
    public func loginWithBrowser(
        opener: BrowserOpener, seconds: Int, interrupted: @escaping @Sendable () -> Bool
    ) async throws(SignInError) {
        let listener: LoopbackListener
        do { listener = try LoopbackListener() } catch { throw .browser(.noListener(detail: error.description)) }
        let entra = EntraClient(configuration: settings.entra, transport: transport, sleeper: sleeper, clock: clock)
        // As registered for the Visual Studio client (`http://localhost`), with the port that
        // loopback redirects may add; Entra sends the browser to `http://localhost:PORT/`.
        let signIn = entra.startBrowserSignIn(redirectURI: "http://localhost:\(listener.port)")
        let opened = opener.open(signIn.url)
        diagnostics.report(
            (opened.map { "opened the sign-in page with \($0)" } ?? "no browser could be opened")
                + "; if it does not show, open this URL in a browser on this machine: \(signIn.url)")
        let receiver = RedirectReceiver(listener: listener, clock: clock, progress: progress, interrupted: interrupted)
        let code: Secret
        do { code = try await receiver.code(state: signIn.state, seconds: seconds) } catch { throw .browser(error) }
        let tokens: EntraTokens
        do { tokens = try await entra.finishBrowserSignIn(signIn, code: code) } catch { throw .entra(error) }
        try save(tokens)
    }

    private func save(_ tokens: EntraTokens) throws(SignInError) {
        guard let refreshToken = tokens.refreshToken else { throw .entra(.malformedResponse) }
        do {
            try refreshTokens.saveRefreshToken(StoredRefreshToken(
                authority: settings.authority, tenant: settings.tenant, clientID: settings.clientID,
                token: refreshToken, storedAt: clock.now(),
                account: EntraAccessToken(token: tokens.accessToken, expiresAt: nil).account))
        } catch { throw .keyring(error) }
    }

    /// Checks that the Azure CLI (`executable`) gives an access token for Azure DevOps, for
    /// `login --azure-cli`: the caller then records the choice (`azdo.signIn azure-cli`).
    public func checkAzureCLI(executable: String = "az") async throws(SignInError) {
        _ = try await AzureCLITokenSource(tenant: settings.azureCLITenant, executable: executable).accessToken()
    }

    /// Where these commands get access tokens: the Azure CLI when `azdo.signIn` chooses it,
    /// else the refresh token `login` stored, redeemed under the renewal lock.
    public var tokenSource: any AccessTokenSource {
        guard settings.signIn == .entra, let tokenLockDirectory else { return unserializedTokenSource }
        return SerializedTokenSource(refreshTokenSession, lockDirectory: tokenLockDirectory)
    }

    /// `tokenSource` without the renewal lock, for a caller that holds it already.
    public var unserializedTokenSource: any AccessTokenSource {
        switch settings.signIn {
        case .azureCLI: return AzureCLITokenSource(tenant: settings.azureCLITenant)
        case .entra: return refreshTokenSession
        }
    }

    /// How these commands sign in.
    public var signInMethod: SignInMethod { settings.signIn }

    /// A PAT API client for `organization`, signed in through `tokenSource` when given (the
    /// `--azure-cli` option), else through this configuration's own `tokenSource`.
    public func client(organization: String, tokenSource: (any AccessTokenSource)? = nil)
        async throws(SignInError) -> PATClient
    {
        client(organization: organization, accessToken: try await (tokenSource ?? self.tokenSource).accessToken().token)
    }

    /// A PAT API client for `organization` using `accessToken`, which any organization of
    /// the same tenant accepts.
    public func client(organization: String, accessToken: Secret) -> PATClient {
        PATClient(
            organization: organization, accessToken: accessToken, transport: transport, sleeper: sleeper,
            baseURL: settings.apiBaseURL)
    }

    private var refreshTokenSession: RefreshTokenSession {
        RefreshTokenSession(
            configuration: settings.entra, store: refreshTokens,
            client: EntraClient(configuration: settings.entra, transport: transport, sleeper: sleeper, clock: clock),
            clock: clock)
    }

    /// The upkeep of the sign-ins stored for these settings, over the same keyring, network
    /// and clock; `stateDirectory` holds the renewal lock and the reminder's day.
    public func signInUpkeep(notifier: any Notifier, stateDirectory: String?) -> SignInUpkeep {
        SignInUpkeep(
            refreshTokens: refreshTokens, settings: settings, transport: transport, sleeper: sleeper, clock: clock,
            notifier: notifier, diagnostics: diagnostics, stateDirectory: stateDirectory)
    }

    /// The PAT manager storing under the settings' git server.
    public var manager: PATManager {
        PATManager(store: credentials, journal: journal, clock: clock, server: settings.gitServer)
    }

    /// The importer for PATs made in the web UI, storing under the settings' git server.
    public var importer: PATImporter {
        PATImporter(store: credentials, transport: transport, clock: clock, server: settings.gitServer)
    }

    /// The organizations the keyring holds PATs for on the settings' git server, sorted.
    public func storedOrganizations() throws(KeyringError) -> [String] {
        Set(try credentials.credentials(server: settings.gitServer).map(\.credential.organization)).sorted()
    }

    /// The organization's PATs from the API, each marked when it is the one git uses.
    public func list(organization: String, client: PATClient, filter: String) async throws(PATManagerError)
        -> [PATListing]
    {
        let tokens: [PATToken]
        do { tokens = try await client.list(filter: filter) } catch { throw .api(error) }
        let stored = try manager.items(organization)
        let inKeyring = Set(stored.compactMap(\.credential.metadata.authorizationID))
        let now = clock.now()
        return tokens.map { token in
            let validTo = Int64(token.validTo.timeIntervalSince1970)
            return PATListing(
                organization: organization, authorizationID: token.authorizationID, displayName: token.displayName, scope: token.scope,
                validTo: validTo, daysLeft: (validTo - now) / 86_400,
                usedByGit: inKeyring.contains(token.authorizationID))
        }
    }
}

/// One row of `pat list`.
public struct PATListing: Sendable, Equatable, Encodable {
    /// The organization it belongs to.
    public var organization: String
    /// The PAT's API id.
    public var authorizationID: String
    /// Its display name.
    public var displayName: String
    /// Its scopes, space-separated.
    public var scope: String
    /// When it expires, Unix seconds.
    public var validTo: Int64
    /// Whole days until it expires (negative once expired).
    public var daysLeft: Int64
    /// Whether the keyring holds it, so git uses it.
    public var usedByGit: Bool
}

/// The JSON form of `pat list --json`: an array of objects with the `PATListing` fields.
public enum PATListingJSON {
    /// Pretty-printed, keys sorted.
    public static func encode(_ rows: [PATListing]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(rows)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}
