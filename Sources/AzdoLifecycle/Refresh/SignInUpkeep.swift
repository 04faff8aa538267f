public import AzdoAPI
public import AzdoCredential
public import AzdoHTTP
public import AzdoSystem

/// Keeps the `login` sign-in alive, as part of each refresher pass: Entra drops a refresh
/// token left unused for 90 days, and an `oauth` organization's git may go weeks without
/// needing a new access token. Each tenant's refresh token is redeemed (and the rotated one
/// stored) once it is a week old. When Entra wants a new interactive sign-in
/// (`interaction_required`, `invalid_grant`), the person is told once a day, on stderr and
/// as a notification.
public struct SignInUpkeep: Sendable {
    /// How old a refresh token may get before the pass redeems it.
    public static let renewAfterSeconds: Int64 = 7 * 86_400

    private let refreshTokens: any RefreshTokenStore
    private let settings: LifecycleSettings
    private let transport: any HTTPTransport
    private let sleeper: any RetrySleeper
    private let clock: any WallClock
    private let notifier: any Notifier
    private let diagnostics: any DiagnosticSink
    private let stateDirectory: String?

    /// Upkeep of the sign-ins stored for `settings`' authority and client; `stateDirectory`
    /// holds the renewal lock and the day of the last reminder.
    public init(
        refreshTokens: any RefreshTokenStore, settings: LifecycleSettings, transport: any HTTPTransport,
        sleeper: any RetrySleeper, clock: any WallClock, notifier: any Notifier, diagnostics: any DiagnosticSink,
        stateDirectory: String?
    ) {
        self.refreshTokens = refreshTokens
        self.settings = settings
        self.transport = transport
        self.sleeper = sleeper
        self.clock = clock
        self.notifier = notifier
        self.diagnostics = diagnostics
        self.stateDirectory = stateDirectory
    }

    /// Redeems every sign-in a week old or older; returns how many were renewed.
    @discardableResult
    public func run() async -> Int {
        guard settings.signIn == .entra else { return 0 }
        // A keyring failure here was met, and reported, by the pass over the PATs just before.
        guard let signIns = try? refreshTokens.signIns(authority: settings.authority, clientID: settings.clientID) else {
            return 0
        }
        var renewed = 0
        for signIn in signIns where clock.now() - signIn.storedAt >= Self.renewAfterSeconds {
            let configuration = EntraConfiguration(
                authority: settings.authority, tenant: signIn.tenant, clientID: settings.clientID)
            let session = RefreshTokenSession(
                configuration: configuration, store: refreshTokens,
                client: EntraClient(configuration: configuration, transport: transport, sleeper: sleeper, clock: clock),
                clock: clock)
            let source: any AccessTokenSource =
                stateDirectory.map { SerializedTokenSource(session, lockDirectory: $0) } ?? session
            do throws(SignInError) {
                _ = try await source.accessToken()
                renewed += 1
                diagnostics.report("sign-in (tenant \(signIn.tenant)): renewed, so Microsoft Entra keeps it")
            } catch {
                if case .entra(.signInRequired(let code)) = error {
                    remindOncePerDay(code: code)
                } else {
                    diagnostics.report("sign-in (tenant \(signIn.tenant)): \(error.description)")
                }
            }
        }
        return renewed
    }

    /// "Sign in again", at most once per day (the day is kept in `signin-reminded`).
    private func remindOncePerDay(code: String) {
        let line = "sign in again: `git credential-azdo login` (Microsoft Entra no longer accepts the stored sign-in: \(code))"
        diagnostics.report(line)
        let today = String(clock.now() / 86_400)
        if let stateDirectory {
            let ledger = stateDirectory + "/signin-reminded"
            if String(decoding: StateFile.read(ledger) ?? [], as: UTF8.self) == today { return }
            _ = StateFile.replace(ledger, with: Array(today.utf8))
        }
        notifier.notify(UserNotification(summary: "Sign in again for Azure DevOps", body: line, urgency: .critical))
    }
}
