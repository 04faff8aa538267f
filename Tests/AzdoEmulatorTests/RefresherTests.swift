import AzdoAPI
import AzdoCredential
import AzdoEmulatorCore
import AzdoHTTP
import AzdoLifecycle
import AzdoSystem
import AzdoTestSupport
import Foundation
import Synchronization
import Testing

/// Records which organizations were switched to `oauth`.
final class RecordingOAuthSwitch: OAuthSwitch {
    private let organizations = Mutex<[String]>([])

    var switched: [String] { organizations.withLock { $0 } }

    func switchToOAuth(organization: String) throws(ToolSettingsError) -> String {
        organizations.withLock { $0.append(organization) }
        return "/recorded"
    }
}

/// The refresher's rules against the in-process emulator, with a clock the tests move, an
/// in-memory store and a real journal in a temporary directory.
final class RefreshWorld: Sendable {
    let clock = MovableClock(1_795_392_000)  // 2026-11-23
    let emulator: Emulator
    let store = InMemoryCredentialStore()
    let journal: FileRotationJournal
    let journalDirectory: URL
    let notifier = RecordingNotifier()
    let sink = RecordingSink()
    let base = "http://127.0.0.1:1"
    let oauthSwitch = RecordingOAuthSwitch()
    private let signedIn = Mutex(true)

    init() throws {
        let clock = self.clock
        emulator = Emulator(now: { clock.now() })
        journalDirectory = try TestPaths.temporaryDirectory("journal")
        journal = FileRotationJournal(directory: journalDirectory.path)
    }

    /// Whether sign-in works (false: as after the refresh token expired).
    func setSignedIn(_ value: Bool) { signedIn.withLock { $0 = value } }

    /// A fresh device-code sign-in, approved at once.
    func client(_ organization: String, attempts: Int = 3, through transport: (any HTTPTransport)? = nil)
        async throws(SignInError) -> PATClient
    {
        guard signedIn.withLock({ $0 }) else { throw .notSignedIn }
        let entra = EntraClient(
            configuration: EntraConfiguration(authority: base, tenant: "organizations", clientID: "client"),
            transport: emulator, sleeper: NoSleep(), clock: SystemClock())
        do {
            let challenge = try await entra.startDeviceCode()
            _ = emulator.handle(HTTPRequest(method: "POST", url: "\(base)/_emulator/approve?user_code=\(challenge.userCode)"))
            let token = try await entra.waitForSignIn(challenge).accessToken
            return PATClient(
                organization: organization, accessToken: token, transport: transport ?? emulator, sleeper: NoSleep(),
                baseURL: base, maximumAttempts: attempts)
        } catch { throw .entra(error) }
    }

    func refresher(
        _ settings: RefreshSettings = RefreshSettings(), journal: (any RotationJournal)? = nil,
        progress: any ProgressDisplay = NoProgress(), transport: (any HTTPTransport)? = nil
    ) -> Refresher {
        Refresher(
            store: store, journal: journal ?? self.journal, signIn: { organization throws(SignInError) in
                try await self.client(organization, attempts: 1, through: transport)
            }, clock: clock, notifier: notifier, diagnostics: sink, settings: settings, server: base,
            oauthSwitch: oauthSwitch, progress: progress)
    }

    /// A PAT created through the API and stored, as `pat create` does it.
    @discardableResult
    func createPAT(_ organization: String, days: Int, scopes: [String] = ["vso.code_write"]) async throws
        -> StoredCredential
    {
        try await PATManager(store: store, journal: journal, clock: clock, server: base).create(
            organization: organization, client: try await client(organization), displayName: "git-credential-azdo on host",
            scopes: scopes, days: days, username: organization)
    }

    var stored: [StoredCredential] { store.items.map(\.credential) }
}

/// Passes requests to the emulator, but loses the answer to the first create, as a client
/// time-out does: the create happened, the client never hears of it.
final class DroppingFirstCreate: HTTPTransport {
    private let wrapping: Emulator
    private let dropped = Mutex(false)

    init(wrapping: Emulator) { self.wrapping = wrapping }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let response = try await wrapping.send(request)
        let drop = request.method == "POST" && dropped.withLock { done in
            defer { done = true }
            return !done
        }
        if drop { throw .timedOut }
        return response
    }
}

/// A journal on a full disk: every write fails.
struct FullDiskJournal: RotationJournal {
    func intents() throws(JournalError) -> [RotationIntent] { [] }
    func record(_ intent: RotationIntent) throws(JournalError) {
        throw .unavailable(path: "/state", detail: "No space left on device")
    }
    func remove(nonce: String) throws(JournalError) {
        throw .unavailable(path: "/state", detail: "No space left on device")
    }
}

@Suite("The refresher: warn, regenerate, recover")
struct RefresherTests {
    let world: RefreshWorld

    init() throws { world = try RefreshWorld() }

    @Test("a week-long PAT is not regenerated the day it is made, only at half its lifespan, with a warning before")
    func shortLifespan() async throws {
        try await world.createPAT("contoso", days: 7)
        let fresh = await world.refresher().run()
        #expect(fresh.entries.first?.line.hasSuffix("; it is renewed automatically from 2026-11-26") == true)
        #expect(world.emulator.livePATs(organization: "contoso").count == 1)
        world.clock.advance(days: 4)
        guard case .rotated = await world.refresher().run().entries.first?.outcome else {
            Issue.record("not rotated at half its lifespan")
            return
        }
    }

    @Test("a pass shows which organization it is at, then clears the line")
    func progress() async throws {
        try await world.createPAT("contoso", days: 30)
        try await world.createPAT("fabrikam", days: 30)
        let progress = RecordingProgress()
        _ = await world.refresher(progress: progress).run()
        #expect(progress.events == ["refresh: contoso (1 of 2)", "refresh: fabrikam (2 of 2)", "<clear>"])
    }

    @Test("8 days from expiry nothing happens; at 7 days with rotation off, a warning and a notification")
    func warningWindow() async throws {
        let created = try await world.createPAT("contoso", days: 8)
        let name = try #require(created.metadata.displayName)
        #expect(name.hasPrefix("git-credential-azdo on host ~"), "pat create's nonce marks the display name")
        let quiet = await world.refresher().run()
        #expect(quiet.entries.map(\.outcome) == [.fine(validTo: world.clock.now() + 8 * 86_400)])
        #expect(!quiet.needsAttention)
        #expect(world.notifier.notifications.isEmpty)

        world.clock.advance(days: 1)
        let settings = RefreshSettings(rotationDisabled: ["contoso"])
        let report = await world.refresher(settings).run()
        #expect(report.needsAttention)
        let line = try #require(report.entries.first?.line)
        #expect(line == "contoso: '\(name)' expires on 2026-12-01; "
            + "`git credential-azdo pat extend --org contoso --days 90` (rotation is off for it)")
        #expect(world.sink.lines.last == line)
        #expect(world.notifier.notifications == [UserNotification(
            summary: "Azure DevOps PAT for contoso expires soon", body: line, urgency: .normal)])
        #expect(world.stored.count == 1)
    }

    @Test("at 7 days the PAT is regenerated: same scopes and lifespan, the old one revoked, one PAT left")
    func rotation() async throws {
        let old = try await world.createPAT("contoso", days: 30, scopes: ["vso.code", "vso.work"])
        world.clock.advance(days: 23)
        let report = await world.refresher().run()
        guard case .rotated(let result) = report.entries.first?.outcome else {
            Issue.record("not rotated: \(report.entries)")
            return
        }
        #expect(!result.clampedByPolicy && !result.revocationPending)
        let new = try #require(world.stored.first)
        #expect(world.stored.count == 1)
        #expect(new.secret != old.secret)
        #expect(new.metadata.scope == "vso.code vso.work")
        #expect(new.metadata.validTo == world.clock.now() + 30 * 86_400)
        #expect(new.metadata.displayName?.hasPrefix("git-credential-azdo on host #") == true)
        #expect(world.emulator.livePATs(organization: "contoso") == [new.metadata.authorizationID].compactMap { $0 })
        #expect(try world.journal.intents().isEmpty)
        #expect(world.notifier.notifications.map(\.urgency) == [.low])

        // The next rotation keeps the stem rather than piling up suffixes.
        world.clock.advance(days: 25)
        _ = await world.refresher().run()
        let third = try #require(world.stored.first)
        #expect(third.metadata.displayName?.split(separator: "#").count == 2)
    }

    @Test("a lifespan policy shortens the new PAT, and the report says so")
    func policyClamp() async throws {
        try await world.createPAT("contoso", days: 60)
        world.clock.advance(days: 55)
        world.emulator.setPolicy({ var policy = EmulatorPolicy(); policy.maximumLifespanDays = 10; return policy }())
        let report = await world.refresher().run()
        let line = try #require(report.entries.first?.line)
        #expect(line.hasSuffix("(the organization's policy allows less than the 60 days asked for)"))
        #expect(world.stored.first?.metadata.validTo == world.clock.now() + 10 * 86_400)
    }

    @Test("not signed in: one sign-in message and a critical notification; the PAT is untouched")
    func notSignedIn() async throws {
        let old = try await world.createPAT("contoso", days: 30)
        try await world.createPAT("fabrikam", days: 26)
        world.clock.advance(days: 23)
        world.setSignedIn(false)
        let report = await world.refresher().run()
        #expect(report.signInProblem == "cannot renew PATs: not signed in to Microsoft Entra; run `git credential-azdo login`; "
            + "the stored PATs are unchanged")
        #expect(report.entries.count == 2)
        #expect(report.entries.allSatisfy { $0.line.hasSuffix("; run `git credential-azdo login` so it can be renewed") })
        #expect(world.notifier.notifications.filter { $0.urgency == .critical }.count == 1)
        #expect(world.stored.contains(old))
        #expect(world.emulator.livePATs(organization: "contoso") == [old.metadata.authorizationID].compactMap { $0 })
    }

    @Test("a create answered with a 500 is reconciled at once: nothing carries its nonce, so it is sent once more")
    func serverErrorOnCreate() async throws {
        let old = try await world.createPAT("contoso", days: 30)
        world.clock.advance(days: 23)
        world.emulator.inject([.serverError])
        let report = await world.refresher().run()
        guard case .rotated(let result) = report.entries.first?.outcome else {
            Issue.record("expected a rotation: \(report.entries)")
            return
        }
        #expect(world.stored == [result.credential])
        #expect(world.emulator.livePATs(organization: "contoso") == [result.credential.metadata.authorizationID].compactMap { $0 })
        #expect(!world.stored.contains(old))
        #expect(try world.journal.intents().isEmpty)
    }

    @Test("a create whose answer is lost is found by its nonce and revoked, then made once more: one live PAT, the stored one",
        arguments: ["a reset after the create", "a time-out"])
    func lostAnswer(lostBy: String) async throws {
        try await world.createPAT("contoso", days: 30)
        world.clock.advance(days: 23)
        let timesOut = lostBy == "a time-out"
        if !timesOut { world.emulator.inject([.resetAfterProcessing]) }
        let report = await world.refresher(transport: timesOut ? DroppingFirstCreate(wrapping: world.emulator) : nil).run()
        guard case .rotated(let result) = report.entries.first?.outcome else {
            Issue.record("expected a rotation: \(report.entries)")
            return
        }
        let id = try #require(result.credential.metadata.authorizationID)
        #expect(world.stored.map(\.metadata.authorizationID) == [id])
        #expect(world.emulator.livePATs(organization: "contoso") == [id])
        #expect(world.emulator.revokedPATs(organization: "contoso").count == 2, "the old PAT and the lost one")
        #expect(try world.journal.intents().isEmpty)
    }

    @Test("a lost answer whose reconciling fails keeps the attempt in the journal; the next run revokes what it made")
    func reconcileFails() async throws {
        let old = try await world.createPAT("contoso", days: 30)
        world.clock.advance(days: 23)
        world.emulator.inject([.resetAfterProcessing, .serverError])
        let failed = await world.refresher().run()
        guard case .rotationFailed = failed.entries.first?.outcome else {
            Issue.record("expected a failed rotation: \(failed.entries)")
            return
        }
        #expect(world.stored == [old])
        #expect(world.emulator.livePATs(organization: "contoso").count == 2, "the lost one is live until reconciled")
        #expect(try world.journal.intents().count == 1)

        let next = await world.refresher().run()
        #expect(next.entries.first?.outcome == .recovered(.undone(revoked: 1)))
        guard case .rotated(let result) = next.entries.last?.outcome else {
            Issue.record("expected a rotation: \(next.entries)")
            return
        }
        #expect(world.emulator.livePATs(organization: "contoso") == [result.credential.metadata.authorizationID].compactMap { $0 })
        #expect(world.stored == [result.credential])
        #expect(try world.journal.intents().isEmpty)
    }

    @Test("creates that never get an answer stop after three tries; each PAT they made is revoked, the old one stays")
    func neverAnswered() async throws {
        let old = try await world.createPAT("contoso", days: 30)
        world.clock.advance(days: 23)
        world.emulator.inject(Array(repeating: .resetAfterProcessing, count: 3), method: "POST")
        let report = await world.refresher().run()
        guard case .rotationFailed(_, let reason) = report.entries.first?.outcome else {
            Issue.record("expected a failed rotation: \(report.entries)")
            return
        }
        #expect(reason.contains("no usable answer to 3 PAT creates"))
        #expect(world.stored == [old])
        #expect(world.emulator.livePATs(organization: "contoso") == [old.metadata.authorizationID].compactMap { $0 })
        #expect(world.emulator.revokedPATs(organization: "contoso").count == 3)
        #expect(try world.journal.intents().isEmpty)
    }

    @Test("a create that certainly failed (a policy) leaves no intent behind")
    func definiteFailure() async throws {
        let old = try await world.createPAT("contoso", days: 30, scopes: ["app_token"])
        world.clock.advance(days: 23)
        world.emulator.setPolicy({ var policy = EmulatorPolicy(); policy.forbidFullScope = true; return policy }())
        let report = await world.refresher().run()
        #expect(report.entries.first?.line.contains("fullScopePatPolicyViolation") == true)
        #expect(world.stored == [old])
        #expect(try world.journal.intents().isEmpty)
    }

    @Test("PAT creation forbidden: the rotation switches the organization to oauth, says so once, keeps the PAT")
    func fallbackToOAuth() async throws {
        let old = try await world.createPAT("contoso", days: 30)
        world.clock.advance(days: 23)
        world.emulator.setPolicy({ var policy = EmulatorPolicy(); policy.disableCreation = true; return policy }())
        let report = await world.refresher().run()
        let line = try #require(report.entries.first?.line)
        #expect(line.hasPrefix("contoso: the organization forbids creating PATs (disablePatCreationPolicyViolation), "
            + "so git now uses Microsoft Entra tokens for it (azdo.contoso.credentialType=oauth in /recorded;"))
        #expect(world.oauthSwitch.switched == ["contoso"])
        #expect(world.notifier.notifications.map(\.summary) == ["Azure DevOps organization contoso forbids PATs"])
        #expect(world.stored == [old])
        #expect(try world.journal.intents().isEmpty)
        #expect(!report.hasFailures)

        // The allowlisted user may still create: nothing is switched.
        world.emulator.setPolicy({ var policy = EmulatorPolicy(); policy.disableCreation = true; policy.creationAllowlisted = true; return policy }())
        let allowed = await world.refresher().run()
        #expect(allowed.entries.first.map { if case .rotated = $0.outcome { true } else { false } } == true)
        #expect(world.oauthSwitch.switched == ["contoso"])
    }

    @Test("an imported PAT the API lists as global is replaced by an organization-scoped PAT with its scopes")
    func globalReplaced() async throws {
        _ = world.emulator.handle(HTTPRequest(
            method: "POST", url: "\(world.base)/_emulator/pat?org=contoso&all-orgs=true", body: Data("GLOBAL".utf8)))
        world.clock.advance(seconds: 60)
        world.store.seed(StoredCredential(
            server: world.base, organization: "contoso", username: "ana", secret: Secret("GLOBAL"),
            metadata: PATMetadata(source: .imported, storedAt: world.clock.now())))
        let report = await world.refresher().run()
        let line = try #require(report.entries.first?.line)
        #expect(line.hasPrefix("contoso: the PAT was a global (all-organization) PAT, and Azure DevOps stops accepting "
            + "those on 2026-12-01; replaced it with the organization-scoped PAT 'git-credential-azdo (replaces a global PAT) ~"))
        let stored = try #require(world.stored.first)
        #expect(world.stored.count == 1)
        #expect(stored.secret != Secret("GLOBAL"))
        #expect(stored.username == "ana")
        #expect(stored.metadata.scope == "app_token")
        #expect(stored.metadata.authorizationID != nil)
        #expect(!report.hasFailures)
        #expect(world.emulator.acceptsPAT("GLOBAL", organization: "contoso", write: false), "not revoked: it dies on its own")
    }

    @Test("a PAT marked global without a sign-in: a warning naming login, pat create and oauth; nothing removed")
    func globalWithoutSignIn() async throws {
        var metadata = PATMetadata(source: .imported, storedAt: world.clock.now(), validTo: world.clock.now() + 20 * 86_400)
        metadata.isGlobal = true
        let global = StoredCredential(
            server: world.base, organization: "contoso", username: "contoso", secret: Secret("GLOBAL"), metadata: metadata)
        world.store.seed(global)
        world.setSignedIn(false)
        world.clock.advance(days: 10)
        let report = await world.refresher().run()
        #expect(report.entries.first?.line == "contoso: the PAT is a global (all-organization) PAT, and Azure DevOps "
            + "stopped accepting those on 2026-12-01; run `git credential-azdo login` so `refresh` replaces it, or "
            + "`git credential-azdo pat create --org contoso`, or use Microsoft Entra tokens: "
            + "`git config --global azdo.contoso.credentialType oauth`")
        #expect(world.stored == [global])
        #expect(report.hasFailures)
    }

    @Test("with azdo.autoFallback false, forbidden creation is reported with the setting to change, nothing switched")
    func fallbackOff() async throws {
        _ = try await world.createPAT("contoso", days: 30)
        world.clock.advance(days: 23)
        world.emulator.setPolicy({ var policy = EmulatorPolicy(); policy.disableCreation = true; return policy }())
        var settings = RefreshSettings()
        settings.autoFallback = false
        let report = await world.refresher(settings).run()
        #expect(report.entries.first?.line == "contoso: the organization forbids creating PATs (disablePatCreationPolicyViolation); "
            + "`git config --global azdo.contoso.credentialType oauth` makes git use Microsoft Entra tokens instead "
            + "(azdo.autoFallback is false)")
        #expect(world.oauthSwitch.switched.isEmpty)
        #expect(report.hasFailures)
    }

    @Test("an oauth organization's PAT is not regenerated; once expired it is removed")
    func oauthOrganization() async throws {
        let old = try await world.createPAT("contoso", days: 30)
        world.clock.advance(days: 25)
        var settings = RefreshSettings()
        settings.credentialTypes.organizations["contoso"] = .oauth
        let kept = await world.refresher(settings).run()
        #expect(kept.entries.map(\.outcome) == [.usesOAuth(patValidTo: old.metadata.validTo ?? 0)])
        #expect(world.stored == [old])
        world.clock.advance(days: 6)
        let removed = await world.refresher(settings).run()
        #expect(removed.entries.map(\.outcome) == [.expiredPATsRemoved(count: 1)])
        #expect(world.stored.isEmpty)
    }

    @Test("a full disk for the journal stops the rotation before the API is called")
    func fullDisk() async throws {
        let old = try await world.createPAT("contoso", days: 30)
        world.clock.advance(days: 23)
        let report = await world.refresher(journal: FullDiskJournal()).run()
        #expect(report.entries.first?.line.contains("No space left on device") == true)
        #expect(world.stored == [old])
        #expect(world.emulator.livePATs(organization: "contoso") == [old.metadata.authorizationID].compactMap { $0 })
    }

    @Test("an expired PAT typed at git's prompt is replaced by a created one when signed in")
    func expiredTyped() async throws {
        world.store.seed(StoredCredential(
            server: world.base, organization: "contoso", username: "contoso", secret: Secret("typed"),
            metadata: PATMetadata(source: .typed, storedAt: world.clock.now() - 100 * 86_400, validTo: world.clock.now() - 1)))
        let report = await world.refresher().run()
        guard case .rotated(let result) = report.entries.first?.outcome else {
            Issue.record("expected a rotation: \(report.entries)")
            return
        }
        #expect(world.stored == [result.credential])
        #expect(result.requestedDays == PATRotator.defaultLifespanDays)
        #expect(result.credential.metadata.scope == "vso.code_write")
    }

    @Test("an expired PAT without a sign-in: a loud warning, nothing removed")
    func expiredNotSignedIn() async throws {
        let old = try await world.createPAT("contoso", days: 2)
        world.clock.advance(days: 3)
        world.setSignedIn(false)
        let report = await world.refresher().run()
        #expect(report.entries.first?.line.contains("EXPIRED on 2026-11-25") == true)
        #expect(world.notifier.notifications.first?.summary == "Azure DevOps PAT for contoso has expired")
        #expect(world.stored == [old])
    }

    @Test("a typed PAT's expiry is looked up when exactly one active PAT could be it; else reported unknown")
    func unknownExpiry() async throws {
        let client = try await world.client("contoso")
        let made = try await client.create(PATCreateRequest(
            displayName: "made in the web UI", scope: "vso.code_write",
            validTo: Date(timeIntervalSince1970: Double(world.clock.now() + 40 * 86_400))))
        world.clock.advance(days: 1)
        world.store.seed(StoredCredential(
            server: world.base, organization: "contoso", username: "contoso", secret: try #require(made.token),
            metadata: PATMetadata(source: .typed, storedAt: world.clock.now())))
        let found = await world.refresher().run()
        #expect(found.entries.map(\.outcome) == [.expiryFound(validTo: world.clock.now() + 39 * 86_400)])
        #expect(world.stored.first?.metadata.validTo == world.clock.now() + 39 * 86_400)
        #expect(world.stored.first?.metadata.authorizationID == nil, "only the expiry is adopted")

        world.store.seed(StoredCredential(
            server: world.base, organization: "fabrikam", username: "fabrikam", secret: Secret("typed"),
            metadata: PATMetadata(source: .typed, storedAt: world.clock.now())))
        let unknown = await world.refresher().run()
        #expect(unknown.entries.last?.outcome == .unknownExpiry)
        #expect(unknown.entries.last?.line.contains("pat import --org fabrikam --expires YYYY-MM-DD") == true)
    }

    @Test("a grace period keeps the old PAT working until it ends; a later run revokes it")
    func gracePeriod() async throws {
        let old = try await world.createPAT("contoso", days: 30)
        world.clock.advance(days: 23)
        let settings = RefreshSettings(revokeGraceSeconds: 3_600)
        let report = await world.refresher(settings).run()
        #expect(report.entries.first?.line.hasSuffix("; the old PAT is revoked later") == true)
        #expect(world.emulator.livePATs(organization: "contoso").count == 2)
        #expect(world.stored.count == 1 && world.stored.first != old)
        let early = await world.refresher(settings).run()
        #expect(early.entries.first?.outcome == .recovered(.waitingForGracePeriod))
        world.clock.advance(seconds: 3_601)
        let later = await world.refresher(settings).run()
        #expect(later.entries.first?.outcome == .recovered(.completed))
        #expect(world.emulator.livePATs(organization: "contoso") == [world.stored.first?.metadata.authorizationID].compactMap { $0 })
        #expect(try world.journal.intents().isEmpty)
    }

    /// Stops a rotation right after `step`, as a kill would: from then on every keyring
    /// write, journal write and API call fails, so nothing after that point happens.
    @Test("a rotation interrupted after any step is finished or undone by the next run", arguments: RotationStep.allCases)
    func interrupted(at step: RotationStep) async throws {
        let old = try await world.createPAT("contoso", days: 30)
        world.clock.advance(days: 23)
        let halted = HaltingStore(wrapping: world.store)
        let rotator = PATRotator(
            store: halted, journal: HaltingJournal(wrapping: world.journal, halt: halted), clock: world.clock,
            observer: HaltAfter(step, store: halted))
        let client = try await world.client("contoso", through: HaltingTransport(inner: world.emulator, halt: halted))
        _ = try? await rotator.rotate(old, client: client)

        // Whatever was interrupted, git still has a working PAT.
        let usable = world.stored.filter { world.emulator.acceptsPAT($0.secret.value, organization: "contoso", write: true) }
        #expect(!usable.isEmpty, "after \(step) git had no working PAT")

        _ = await world.refresher().run()
        let live = world.emulator.livePATs(organization: "contoso")
        #expect(world.stored.count == 1)
        #expect(live == [world.stored.first?.metadata.authorizationID].compactMap { $0 }, "exactly one live PAT, and it is stored")
        #expect(try world.journal.intents().isEmpty)
    }
}

/// Makes every store write fail once `halted` is set.
final class HaltingStore: CredentialStore {
    private let inner: InMemoryCredentialStore
    private let flag = Mutex(false)
    init(wrapping inner: InMemoryCredentialStore) { self.inner = inner }
    var halted: Bool { flag.withLock { $0 } }
    func halt() { flag.withLock { $0 = true } }
    func credentials(server: String, organization: String) throws(KeyringError) -> [StoredItem] {
        try inner.credentials(server: server, organization: organization)
    }
    func credentials(server: String) throws(KeyringError) -> [StoredItem] { try inner.credentials(server: server) }
    func allCredentials() throws(KeyringError) -> [StoredItem] { try inner.allCredentials() }
    func add(_ credential: StoredCredential) throws(KeyringError) {
        if halted { throw .failed(detail: "halted") }
        try inner.add(credential)
    }
    func remove(id: String) throws(KeyringError) {
        if halted { throw .failed(detail: "halted") }
        try inner.remove(id: id)
    }
}

/// The journal, frozen once the store is halted.
struct HaltingJournal: RotationJournal {
    let wrapping: FileRotationJournal
    let halt: HaltingStore
    func intents() throws(JournalError) -> [RotationIntent] { try wrapping.intents() }
    func record(_ intent: RotationIntent) throws(JournalError) {
        if halt.halted { throw .unavailable(path: "-", detail: "halted") }
        try wrapping.record(intent)
    }
    func remove(nonce: String) throws(JournalError) {
        if halt.halted { throw .unavailable(path: "-", detail: "halted") }
        try wrapping.remove(nonce: nonce)
    }
}

/// Halts the store right after one step.
struct HaltAfter: RotationObserver {
    let step: RotationStep
    let store: HaltingStore
    init(_ step: RotationStep, store: HaltingStore) {
        self.step = step
        self.store = store
    }
    func reached(_ reached: RotationStep) {
        if reached == step { store.halt() }
    }
}

/// The emulator, unreachable once the store is halted.
struct HaltingTransport: HTTPTransport {
    let inner: Emulator
    let halt: HaltingStore
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        if halt.halted { throw .connectionFailed(detail: "halted") }
        return try await inner.send(request)
    }
}

/// Records what a progress display was asked to show.
final class RecordingProgress: ProgressDisplay {
    private let recorded = Mutex<[String]>([])
    var events: [String] { recorded.withLock { $0 } }
    func show(_ text: String) { recorded.withLock { $0.append(text) } }
    func clear() { recorded.withLock { $0.append("<clear>") } }
}
