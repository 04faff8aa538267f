import AzdoAPI
import AzdoCredential
import AzdoHTTP
import AzdoTestSupport
import Foundation
import Testing
@testable import AzdoLifecycle
@testable import AzdoSetup

/// A machine as a test describes it.
struct FakeProbe: DoctorProbe {
    var version: String? = "2.39.5"
    var entries: [(key: String, value: String)] = []
    var bus = true
    var timer: String? = "enabled"
    var provider = SecretServiceProvider.kWallet
    var executables: [String: String] = [:]
    func gitVersion() -> String? { version }
    func credentialEntries() -> [(key: String, value: String)] { entries }
    func hasSessionBus() -> Bool { bus }
    func timerState() -> String? { timer }
    func secretServiceProvider() -> SecretServiceProvider { provider }
    func executablePath(_ name: String) -> String? { executables[name] }
}

@Suite("doctor")
struct DoctorTests {
    let now: Int64 = 1_795_392_000  // 2026-11-23
    let configured: [(key: String, value: String)] = [
        ("credential.helper", "store"),
        ("credential.https://dev.azure.com.helper", ""), ("credential.https://dev.azure.com.helper", "/usr/bin/git-credential-azdo"),
        ("credential.https://dev.azure.com.usehttppath", "true"),
        ("credential.https://*.visualstudio.com.helper", ""), ("credential.https://*.visualstudio.com.helper", "azdo"),
    ]

    func doctor(
        _ probe: FakeProbe, store: InMemoryCredentialStore = InMemoryCredentialStore(),
        tokens: MemoryRefreshTokenStore = MemoryRefreshTokenStore(), answers: [Result<HTTPResponse, TransportError>] = [],
        settings: LifecycleSettings = LifecycleSettings()
    ) -> Doctor {
        Doctor(
            probe: probe, credentials: store, refreshTokens: tokens, transport: ScriptedTransport(answers),
            clock: FixedClock(now), settings: settings, refreshSettings: RefreshSettings())
    }

    func finding(_ findings: [DoctorFinding], _ check: String) -> DoctorFinding? {
        findings.first { $0.check == check }
    }

    @Test("git's helper list per host, as urlmatch builds it: an empty entry clears, wildcards match one label")
    func helperLists() {
        #expect(CredentialConfig.helpers(for: "https://dev.azure.com/contoso", in: configured) == ["/usr/bin/git-credential-azdo"])
        #expect(CredentialConfig.helpers(for: "https://contoso.visualstudio.com", in: configured) == ["azdo"])
        #expect(CredentialConfig.helpers(for: "https://a.b.visualstudio.com", in: configured) == ["store"])
        #expect(CredentialConfig.helpers(for: "https://github.com/x", in: configured) == ["store"])
        #expect(CredentialConfig.matches("https://dev.azure.com/contoso", "https://dev.azure.com/contoso/p/_git/r"))
        #expect(!CredentialConfig.matches("https://dev.azure.com/contoso", "https://dev.azure.com/contosox"))
        #expect(!CredentialConfig.matches("http://dev.azure.com", "https://dev.azure.com/x"))
        #expect(CredentialConfig.matches("https://dev.azure.com:443", "https://dev.azure.com/x"))
        #expect(HTTPDate.parse("Mon, 23 Nov 2026 00:00:05 GMT") == now + 5)
        #expect(HTTPDate.parse("Monday, 23-Nov-26 00:00:05 GMT") == nil)
    }

    @Test("a configured machine with a healthy PAT and a sign-in is all ok")
    func healthy() async throws {
        let store = InMemoryCredentialStore()
        store.seed(StoredCredential(
            server: RemoteTarget.azureDevOpsServer, organization: "contoso", username: "contoso", secret: Secret("s"),
            metadata: PATMetadata(
                source: .created, storedAt: now - 86_400, validTo: now + 60 * 86_400, validFrom: now - 86_400,
                authorizationID: "1", scope: "vso.code_write")))
        let tokens = MemoryRefreshTokenStore()
        try tokens.saveRefreshToken(StoredRefreshToken(
            authority: LifecycleSettings.defaultAuthority, tenant: "organizations", clientID: LifecycleSettings.defaultClientID,
            token: Secret("refresh"), storedAt: now - 3 * 86_400))
        let date = HTTPResponse(status: 200, headers: ["Date": "Mon, 23 Nov 2026 00:00:30 GMT"])
        let findings = await doctor(
            FakeProbe(entries: configured), store: store, tokens: tokens, answers: [.success(date), .success(date), .success(date)]
        ).run()
        #expect(findings.allSatisfy { $0.level == .ok }, "\(findings.filter { $0.level != .ok }.map(\.line))")
        #expect(finding(findings, "pat contoso")?.message.hasPrefix("60 days left (until 2027-01-22), vso.code_write") == true)
        #expect(finding(findings, "sign-in")?.message == "organizations (refreshed 3 days ago)")
        #expect(finding(findings, "clock")?.message == "within 30 s of the server")
        #expect(finding(findings, "keyring")?.message == "Secret Service (KWallet) reachable and unlocked; 1 PAT(s) stored")
        #expect(!findings.map(\.line).joined().contains("refresh\""))
    }

    @Test("each problem is one line with its fix: unconfigured, helper order, no bus, expired PAT, no sign-in, skew, unreachable")
    func problems() async throws {
        let unconfigured = await doctor(FakeProbe(entries: [("credential.helper", "store")], timer: nil)).run(network: false)
        #expect(finding(unconfigured, "helper for dev.azure.com")?.line
            == "FAIL  helper for dev.azure.com: git asks store but not git-credential-azdo; run `git credential-azdo configure`")
        #expect(finding(unconfigured, "useHttpPath")?.level == .warn)
        #expect(finding(unconfigured, "refresher")?.level == .warn)

        let ordered = await doctor(FakeProbe(entries: [
            ("credential.helper", "store"), ("credential.https://dev.azure.com.helper", "azdo"),
        ])).run(network: false)
        #expect(finding(ordered, "helper for dev.azure.com")?.message.hasPrefix("git asks store first") == true)

        let noBus = await doctor(FakeProbe(entries: configured, bus: false)).run(network: false)
        #expect(finding(noBus, "session bus")?.level == .fail)
        #expect(finding(noBus, "keyring") == nil)

        let store = InMemoryCredentialStore()
        store.seed(StoredCredential(
            server: RemoteTarget.azureDevOpsServer, organization: "contoso", username: "contoso", secret: Secret("s"),
            metadata: PATMetadata(source: .typed, storedAt: 1, validTo: now - 86_400)))
        let expired = await doctor(FakeProbe(entries: configured), store: store).run(network: false)
        #expect(finding(expired, "pat contoso")?.line == "warn  pat contoso: expired on 2026-11-22; run `git credential-azdo refresh` "
            + "(signed in) or `git credential-azdo pat create --org contoso`")
        #expect(finding(expired, "sign-in")?.message.contains("run `git credential-azdo login`") == true)

        store.failure = .locked(.gnomeKeyring)
        let locked = await doctor(FakeProbe(entries: configured), store: store).run(network: false)
        #expect(finding(locked, "keyring")?.line == "FAIL  keyring: \(KeyringError.locked(.gnomeKeyring).description)")

        let skewed = HTTPResponse(status: 401, headers: ["date": "Sun, 22 Nov 2026 23:50:00 GMT"])
        let network = await doctor(
            FakeProbe(entries: configured),
            answers: [.success(skewed), .failure(.timedOut), .success(skewed)]
        ).run()
        #expect(finding(network, "reach PAT API")?.line
            == "FAIL  reach PAT API: https://vssps.dev.azure.com: the request timed out; check the network, HTTPS_PROXY and NO_PROXY")
        #expect(finding(network, "clock")?.message.hasPrefix("600 s ahead of the server") == true)
    }

    @Test("with azdo.signIn=azure-cli the sign-in is the Azure CLI's: ok with `az` on PATH, a warning without it")
    func azureCLISignIn() async {
        let settings = LifecycleSettings(signIn: .azureCLI)
        let found = await doctor(
            FakeProbe(entries: configured, executables: ["az": "/usr/bin/az"]), settings: settings
        ).run(network: false)
        #expect(finding(found, "sign-in")?.line == "ok    sign-in: the Azure CLI's (azdo.signIn=azure-cli, /usr/bin/az)")
        let missing = await doctor(FakeProbe(entries: configured), settings: settings).run(network: false)
        #expect(finding(missing, "sign-in")?.level == .warn)
        #expect(finding(missing, "sign-in")?.message.contains("`az` is not on PATH") == true)
    }

    @Test("a PAT marked global is named with its fix, and fails once global PATs stopped working")
    func globalPAT() async {
        let store = InMemoryCredentialStore()
        var metadata = PATMetadata(source: .imported, storedAt: now, validTo: now + 30 * 86_400)
        metadata.isGlobal = true
        store.seed(StoredCredential(
            server: RemoteTarget.azureDevOpsServer, organization: "contoso", username: "contoso", secret: Secret("g"),
            metadata: metadata))
        let before = await doctor(FakeProbe(entries: configured), store: store).run(network: false)
        #expect(finding(before, "pat contoso")?.line == "warn  pat contoso: a global (all-organization) PAT, and Azure "
            + "DevOps stops accepting those on 2026-12-01; run `git credential-azdo refresh` (signed in) or "
            + "`git credential-azdo pat create --org contoso`, or use Microsoft Entra tokens "
            + "(git config --global azdo.contoso.credentialType oauth)")
        let after = await Doctor(
            probe: FakeProbe(entries: configured), credentials: store, refreshTokens: MemoryRefreshTokenStore(),
            transport: ScriptedTransport([]), clock: FixedClock(PATToken.globalRetirement + 86_400),
            settings: LifecycleSettings(), refreshSettings: RefreshSettings()
        ).run(network: false)
        #expect(finding(after, "pat contoso")?.level == .fail)
        #expect(finding(after, "pat contoso")?.message.contains("stopped accepting") == true)
    }
}
