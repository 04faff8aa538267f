public import AzdoAPI
public import AzdoCredential
public import AzdoSystem
import FoundationEssentials

/// One `refresh` pass over every PAT stored for a server:
///
/// 1. finish or undo rotations an earlier run left unfinished (`PATRotator.recover`);
/// 2. for each organization, look at the PAT `get` hands git:
///    - expiry unknown (typed at git's prompt): look it up in the API when exactly one
///      active PAT could be it, else say how to record it;
///    - expired: warn loudly and, when signed in, regenerate it;
///    - within `rotateDays`, or half its lifespan if that is shorter (and rotation not
///      switched off for the organization): regenerate;
///    - within `warnDays` and not regenerated: warn;
/// 3. report every outcome on the diagnostics sink and, for warnings, as a notification.
///
/// An organization whose credential type is `oauth` gets Microsoft Entra tokens from the
/// helper: its PAT is not regenerated, and is removed once it has expired. A rotation the
/// organization refuses with `disablePatCreationPolicyViolation` switches it to `oauth`
/// (unless `azdo.autoFallback` is false), keeping the stored PAT until it expires.
///
/// Sign-in problems (no refresh token, Entra wants interaction) are reported once, with
/// `login` as the fix, and leave every PAT as it is. API failures are reported and retried
/// on the next run; nothing is ever erased because of one.
public struct Refresher: Sendable {
    /// Signs in for an organization: a PAT API client, or why not.
    public typealias SignIn = @Sendable (_ organization: String) async throws(SignInError) -> PATClient

    private let store: any CredentialStore
    private let journal: any RotationJournal
    private let signIn: SignIn
    private let clock: any WallClock
    private let notifier: any Notifier
    private let diagnostics: any DiagnosticSink
    private let settings: RefreshSettings
    private let server: String
    private let rotator: PATRotator
    private let progress: any ProgressDisplay
    private let oauthSwitch: any OAuthSwitch

    /// Creates a refresher for the PATs stored under `server`; `oauthSwitch` records the
    /// switch of an organization that forbids creating PATs.
    public init(
        store: any CredentialStore, journal: any RotationJournal, signIn: @escaping SignIn, clock: any WallClock,
        notifier: any Notifier, diagnostics: any DiagnosticSink, settings: RefreshSettings, server: String,
        oauthSwitch: any OAuthSwitch, observer: (any RotationObserver)? = nil,
        progress: any ProgressDisplay = NoProgress()
    ) {
        self.progress = progress
        self.oauthSwitch = oauthSwitch
        self.store = store
        self.journal = journal
        self.signIn = signIn
        self.clock = clock
        self.notifier = notifier
        self.diagnostics = diagnostics
        self.settings = settings
        self.server = server
        rotator = PATRotator(
            store: store, journal: journal, clock: clock, revokeGraceSeconds: settings.revokeGraceSeconds,
            observer: observer)
    }

    /// Runs one pass and returns what it found and did.
    public func run() async -> RefreshReport {
        var report = RefreshReport()
        let sessions = SignInCache(signIn: signIn)
        var intents: [RotationIntent] = []
        do { intents = try journal.intents().filter { $0.server == server } } catch {
            report.add(.init(organization: nil, outcome: .failed(error.description)))
        }
        // One keyring search for every organization: a pass over many PATs costs about as
        // much as a pass over one. An organization is read again only after a recovery.
        var byOrganization: [String: [StoredCredential]] = [:]
        do {
            for item in try store.credentials(server: server) {
                byOrganization[item.credential.organization, default: []].append(item.credential)
            }
        } catch {
            report.add(.init(organization: nil, outcome: .failed(error.description)))
            return finish(report)
        }
        var changed = false
        let organizations = Set(byOrganization.keys).union(intents.map(\.organization)).sorted()
        for (index, organization) in organizations.enumerated() {
            progress.show("refresh: \(organization) (\(index + 1) of \(organizations.count))")
            var credentials = byOrganization[organization] ?? []
            let pending = intents.filter { $0.organization == organization }
            for intent in pending { report.add(await recover(intent, sessions: sessions)) }
            if !pending.isEmpty {
                do { credentials = try store.credentials(server: server, organization: organization).map(\.credential) } catch {
                    report.add(.init(organization: organization, outcome: .failed(error.description)))
                    continue
                }
            }
            guard let entry = await review(organization, credentials, sessions: sessions) else { continue }
            report.add(entry)
            switch entry.outcome {
            case .rotated, .expiryFound: changed = true
            default: break
            }
        }
        progress.clear()
        if let problem = await sessions.problem {
            report.signInProblem = problem
        }
        report.nextDue = nextDue(changed ? nil : byOrganization.values.flatMap { $0 })
        return finish(report)
    }

    // MARK: - One organization

    private func recover(_ intent: RotationIntent, sessions: SignInCache) async -> RefreshReport.Entry {
        let organization = intent.organization
        guard let client = await sessions.client(organization) else {
            return .init(organization: organization, outcome: .interruptedRotationWaits)
        }
        do {
            return .init(organization: organization, outcome: .recovered(try await rotator.recover(intent, client: client)))
        } catch {
            return .init(organization: organization, outcome: .failed("finishing an interrupted rotation: \(error)"))
        }
    }

    private func review(_ organization: String, _ candidates: [StoredCredential], sessions: SignInCache) async
        -> RefreshReport.Entry?
    {
        let now = clock.now()
        guard var current = Self.newest(candidates.filter { !$0.isExpired(at: now) }) ?? Self.newest(candidates) else {
            return nil
        }
        var lookedUp = false
        let oauth = settings.credentialType(of: organization) == .oauth
        if current.metadata.authorizationID == nil && !current.metadata.isGlobal && !oauth,
            let identified = await identify(current, sessions: sessions)
        {
            lookedUp = current.metadata.validTo == nil && identified.metadata.validTo != nil
            current = identified
        }
        if oauth {
            if let validTo = current.metadata.validTo, validTo <= now { return removeExpired(organization, at: now) }
            return .init(organization: organization, outcome: .usesOAuth(patValidTo: current.metadata.validTo))
        }
        if current.metadata.isGlobal { return await replaceGlobal(current, sessions: sessions) }
        guard let validTo = current.metadata.validTo else {
            return .init(organization: organization, outcome: .unknownExpiry)
        }
        let left = validTo - now
        let managed = current.metadata.authorizationID != nil
        let mayRotate = !settings.rotationDisabled.contains(organization)
        let window = settings.rotationWindow(for: current.metadata)
        let due = left <= 0 || (managed && left <= window)
        var fix = fix(for: current, mayRotate: mayRotate, renewsOn: validTo - window)
        if due && mayRotate {
            fix = "run `git credential-azdo login` so it can be renewed"
            if let client = await sessions.client(organization) {
                do {
                    let result = try await rotator.rotate(current, client: client)
                    let entry = RefreshReport.Entry(organization: organization, outcome: .rotated(result))
                    notifier.notify(UserNotification(
                        summary: "Azure DevOps PAT for \(organization) renewed",
                        body: entry.line, urgency: .low))
                    return entry
                } catch {
                    if error.forbidsPATCreation { return fallBack(current) }
                    return warn(current, outcome: .rotationFailed(validTo: validTo, reason: error.description))
                }
            }
        }
        if left <= 0 { return warn(current, outcome: .expired(validTo: validTo)) }
        if left <= settings.warnDays * 86_400 {
            return warn(current, outcome: .expiresSoon(validTo: validTo, fix: fix))
        }
        return .init(organization: organization, outcome: lookedUp ? .expiryFound(validTo: validTo) : .fine(validTo: validTo))
    }

    /// The organization forbids creating PATs: switches it to `oauth` (unless turned off)
    /// and says so on stderr and as a notification. Its PAT stays until it expires.
    private func fallBack(_ credential: StoredCredential) -> RefreshReport.Entry {
        let organization = credential.organization
        let outcome: RefreshReport.Outcome
        if settings.autoFallback {
            do {
                outcome = .switchedToOAuth(file: try oauthSwitch.switchToOAuth(organization: organization))
            } catch {
                outcome = .failed("PAT creation is forbidden here, and switching to Microsoft Entra tokens failed: \(error)")
            }
        } else {
            outcome = .patCreationForbidden
        }
        let entry = RefreshReport.Entry(organization: organization, outcome: outcome)
        notifier.notify(UserNotification(
            summary: "Azure DevOps organization \(organization) forbids PATs", body: entry.line, urgency: .normal))
        return entry
    }

    /// Removes the organization's expired PATs: with `oauth`, git no longer needs them.
    private func removeExpired(_ organization: String, at now: Int64) -> RefreshReport.Entry {
        do {
            let expired = try store.credentials(server: server, organization: organization)
                .filter { $0.credential.isExpired(at: now) }
            for item in expired { try store.remove(id: item.id) }
            return .init(organization: organization, outcome: .expiredPATsRemoved(count: expired.count))
        } catch {
            return .init(organization: organization, outcome: .failed(error.description))
        }
    }

    /// Reports `outcome` and shows it as a desktop notification.
    private func warn(_ credential: StoredCredential, outcome: RefreshReport.Outcome) -> RefreshReport.Entry {
        var entry = RefreshReport.Entry(organization: credential.organization, outcome: outcome)
        entry.displayName = credential.metadata.displayName
        let expired = if case .expired = outcome { true } else { false }
        notifier.notify(UserNotification(
            summary: expired ? "Azure DevOps PAT for \(credential.organization) has expired"
                : "Azure DevOps PAT for \(credential.organization) expires soon",
            body: entry.line, urgency: expired ? .critical : .normal))
        return entry
    }

    /// What fixes an expiring PAT that is not being regenerated right now.
    private func fix(for credential: StoredCredential, mayRotate: Bool, renewsOn: Int64) -> String {
        let organization = credential.organization
        if credential.metadata.authorizationID == nil {
            return "`git credential-azdo pat create --org \(organization)` replaces it"
        }
        return mayRotate ? "it is renewed automatically from \(CivilDate.string(fromUnixSeconds: renewsOn))"
            : "`git credential-azdo pat extend --org \(organization) --days 90` (rotation is off for it)"
    }

    /// What the API knows of a PAT typed at git's prompt or imported (no id): when exactly
    /// one active PAT of the organization existed when it was stored, that is the one, and
    /// its expiry and scopes are adopted (never its id, so a wrong guess can never make a rotation
    /// revoke it). When every PAT that could be it is global, it is marked global. The
    /// updated credential is stored; nil when nothing was learned (or not signed in).
    private func identify(_ credential: StoredCredential, sessions: SignInCache) async -> StoredCredential? {
        guard let client = await sessions.client(credential.organization, quietly: true),
            let active = try? await client.list(filter: "active")
        else { return nil }
        let candidates = active.filter { Int64($0.validFrom.timeIntervalSince1970) <= credential.metadata.storedAt }
        var updated = credential
        if candidates.count == 1, let token = candidates.first {
            if credential.metadata.validTo == nil {
                updated.metadata.validTo = Int64(token.validTo.timeIntervalSince1970)
                updated.metadata.validFrom = Int64(token.validFrom.timeIntervalSince1970)
            }
            updated.metadata.scope = credential.metadata.scope ?? token.scope
        }
        updated.metadata.isGlobal = !candidates.isEmpty && candidates.allSatisfy(\.isGlobal)
        guard updated != credential else { return nil }
        try? store.replace(with: updated) { $0.secret == credential.secret }
        return updated
    }

    /// A global PAT, which Azure DevOps stops accepting on 2026-12-01: when signed in, an
    /// organization-scoped PAT with its scopes replaces it (the global one leaves the
    /// keyring, but is not revoked: other organizations' tools may still hold it until
    /// then); an organization that forbids PATs is switched to `oauth` instead.
    private func replaceGlobal(_ credential: StoredCredential, sessions: SignInCache) async -> RefreshReport.Entry {
        let organization = credential.organization
        let retired = clock.now() >= PATToken.globalRetirement
        guard let client = await sessions.client(organization) else {
            return warn(credential, outcome: .globalPAT(retired: retired, reason: nil))
        }
        let manager = PATManager(store: store, journal: journal, clock: clock, server: server)
        let replacement: StoredCredential
        do {
            replacement = try await manager.create(
                organization: organization, client: client, displayName: "git-credential-azdo (replaces a global PAT)",
                scopes: (credential.metadata.scope ?? "vso.code_write").split(separator: " ").map(String.init),
                days: 90, username: credential.username)
        } catch {
            if error.forbidsPATCreation { return fallBack(credential) }
            return warn(credential, outcome: .globalPAT(retired: retired, reason: error.description))
        }
        do {
            for item in try store.credentials(server: server, organization: organization)
            where item.credential.secret == credential.secret {
                try store.remove(id: item.id)
            }
        } catch {
            return .init(organization: organization, outcome: .failed(error.description))
        }
        let entry = RefreshReport.Entry(organization: organization, outcome: .globalReplaced(replacement, retired: retired))
        notifier.notify(UserNotification(
            summary: "Azure DevOps PAT for \(organization) replaced", body: entry.line, urgency: .low))
        return entry
    }

    /// When the next pass has something to do: the earliest moment a stored PAT enters the
    /// warning or rotation window (now, if one already has), or nil without expiries.
    /// `credentials` is what the pass read, unless it changed the keyring (then nil: read again).
    private func nextDue(_ credentials: [StoredCredential]?) -> Int64? {
        guard let credentials = credentials ?? (try? store.credentials(server: server).map(\.credential)) else {
            return nil
        }
        let window = max(settings.warnDays, settings.rotateDays) * 86_400
        return credentials.compactMap { $0.metadata.validTo.map { max($0 - window, clock.now()) } }.min()
    }

    private func finish(_ report: RefreshReport) -> RefreshReport {
        for entry in report.entries { diagnostics.report(entry.line) }
        if let problem = report.signInProblem {
            diagnostics.report(problem)
            notifier.notify(UserNotification(
                summary: "Sign in again to renew Azure DevOps PATs", body: problem, urgency: .critical))
        }
        return report
    }

    private static func newest(_ credentials: [StoredCredential]) -> StoredCredential? {
        credentials.max { $0.metadata.storedAt < $1.metadata.storedAt }
    }
}

/// Signs in at most once per organization per pass, and remembers the first sign-in
/// problem so it is reported once rather than for every organization.
private actor SignInCache {
    private let signIn: Refresher.SignIn
    private var clients: [String: PATClient] = [:]
    private var failed: Set<String> = []
    private(set) var problem: String?

    init(signIn: @escaping Refresher.SignIn) {
        self.signIn = signIn
    }

    /// A client for `organization`; nil after a sign-in failure (recorded unless `quietly`).
    func client(_ organization: String, quietly: Bool = false) async -> PATClient? {
        if let client = clients[organization] { return client }
        if failed.contains(organization) { return nil }
        do {
            let client = try await signIn(organization)
            clients[organization] = client
            return client
        } catch {
            failed.insert(organization)
            if !quietly, problem == nil {
                problem = "cannot renew PATs: \(error.description); the stored PATs are unchanged"
            }
            return nil
        }
    }
}
