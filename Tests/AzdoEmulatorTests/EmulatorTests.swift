import AzdoAPI
import AzdoCredential
import AzdoEmulatorCore
import AzdoHTTP
import AzdoLifecycle
import AzdoTestSupport
import Foundation
import Synchronization
import Testing

/// Records requested waits instead of sleeping.
final class NoSleep: RetrySleeper {
    private let waits = Mutex<[Int]>([])
    var recorded: [Int] { waits.withLock { $0 } }
    func sleep(seconds: Int) async { waits.withLock { $0.append(seconds) } }
}

@Suite("The emulator, driven by the real clients")
struct EmulatorTests {
    let clock = MovableClock(1_795_392_000)  // 2026-11-23
    let emulator: Emulator
    let sleeper = NoSleep()
    let base = "http://127.0.0.1:1"
    let configuration: EntraConfiguration

    init() {
        let clock = self.clock
        emulator = Emulator(now: { clock.now() })
        configuration = EntraConfiguration(authority: base, tenant: "organizations", clientID: "client")
    }

    func signIn() async throws -> Secret {
        let entra = EntraClient(configuration: configuration, transport: emulator, sleeper: sleeper, clock: clock)
        let challenge = try await entra.startDeviceCode()
        clock.advance(days: 0)
        let approval = emulator.handle(HTTPRequest(
            method: "POST", url: "\(base)/_emulator/approve?user_code=\(challenge.userCode)"))
        #expect(approval.status == 200)
        return try await entra.waitForSignIn(challenge).accessToken
    }

    func client(_ token: Secret, organization: String = "contoso") -> PATClient {
        PATClient(organization: organization, accessToken: token, transport: emulator, sleeper: sleeper, baseURL: base)
    }

    @Test("sign in by device code, create, list, extend, revoke")
    func lifecycle() async throws {
        let client = client(try await signIn())
        let created = try await client.create(PATCreateRequest(
            displayName: "git-credential-azdo on host", scope: "vso.code_write",
            validTo: Date(timeIntervalSince1970: Double(clock.now() + 30 * 86_400))))
        let secret = try #require(created.token)
        #expect(secret.value.count == 84)
        #expect(emulator.acceptsPAT(secret.value, organization: "contoso", write: true))
        #expect(!emulator.acceptsPAT(secret.value, organization: "fabrikam", write: false))
        #expect(try await client.list().map(\.authorizationID) == [created.authorizationID])

        var change = PATUpdateRequest(token: created)
        change.validTo = Date(timeIntervalSince1970: Double(clock.now() + 90 * 86_400))
        let extended = try await client.update(change)
        #expect(extended.token == nil)
        #expect(Int64(extended.validTo.timeIntervalSince1970) == clock.now() + 90 * 86_400)

        try await client.revoke(authorizationID: created.authorizationID)
        #expect(!emulator.acceptsPAT(secret.value, organization: "contoso", write: false))
        #expect(try await client.list().isEmpty)
        #expect(try await client.list(filter: "revoked").count == 1)
    }

    @Test("without a valid Entra token the PAT API answers 203 with a sign-in page")
    func signInPage() async throws {
        await #expect(throws: PATClientError.api(.notSignedIn)) {
            try await client(Secret("not-a-token")).list()
        }
    }

    @Test("lifespan policy clamps create and update; full-scope and creation policies refuse")
    func policies() async throws {
        let client = client(try await signIn())
        var policy = EmulatorPolicy()
        policy.maximumLifespanDays = 30
        policy.forbidFullScope = true
        emulator.setPolicy(policy)
        let created = try await client.create(PATCreateRequest(
            displayName: "n", scope: "vso.code", validTo: Date(timeIntervalSince1970: Double(clock.now() + 365 * 86_400))))
        #expect(Int64(created.validTo.timeIntervalSince1970) == clock.now() + 30 * 86_400)
        await #expect(throws: PATClientError.api(.tokenError(
            .known("fullScopePatPolicyViolation"), message: "Full-scoped PATs are restricted by policy.")))
        {
            try await client.create(PATCreateRequest(
                displayName: "n", scope: "app_token", validTo: Date(timeIntervalSince1970: Double(clock.now() + 86_400))))
        }
        policy.disableCreation = true
        emulator.setPolicy(policy)
        await #expect(throws: PATClientError.self) {
            try await client.create(PATCreateRequest(
                displayName: "n", scope: "vso.code", validTo: Date(timeIntervalSince1970: Double(clock.now() + 86_400))))
        }
        clock.advance(days: 31)
        await #expect(throws: PATClientError.api(.notSignedIn), "the hour-long access token has expired") {
            try await client.list()
        }
        let renewed = self.client(try await signIn())
        await #expect(throws: PATClientError.api(.tokenError(
            .known("expiredPatCannotBeExtended"), message: "An expired PAT cannot be extended.")))
        {
            var change = PATUpdateRequest(token: created)
            change.validTo = Date(timeIntervalSince1970: Double(clock.now() + 86_400))
            _ = try await renewed.update(change)
        }
    }

    @Test("an update lacking any of the five PatTokenUpdateRequest fields is refused with 400 and changes nothing")
    func partialUpdateRefused() async throws {
        let token = try await signIn()
        let client = client(token)
        let created = try await client.create(PATCreateRequest(
            displayName: "laptop", scope: "vso.code_write",
            validTo: Date(timeIntervalSince1970: Double(clock.now() + 30 * 86_400))))
        let full: [String: Any] = [
            "authorizationId": created.authorizationID, "displayName": "renamed", "scope": "vso.code",
            "validTo": "2027-01-01T00:00:00.000Z", "allOrgs": false,
        ]
        for missing in full.keys.sorted() {
            var body = full
            body[missing] = nil
            let response = emulator.handle(HTTPRequest(
                method: "PUT", url: "\(base)/contoso/_apis/tokens/pats?api-version=\(PATClient.apiVersion)",
                headers: ["Authorization": "Bearer \(token.value)", "Content-Type": "application/json"],
                body: try JSONSerialization.data(withJSONObject: body)))
            #expect(response.status == 400, "without \(missing)")
        }
        let unchanged = try await client.token(authorizationID: created.authorizationID)
        #expect(unchanged.displayName == "laptop" && unchanged.scope == "vso.code_write")
        #expect(unchanged.validTo == created.validTo)
    }

    @Test("injected faults: 429 is retried after Retry-After, 500 too; truncated JSON and sign-in pages are reported")
    func faults() async throws {
        let client = client(try await signIn())
        let waitsBefore = sleeper.recorded.count
        emulator.inject([.throttle(retryAfterSeconds: 9), .serverError])
        #expect(try await client.list().isEmpty)
        #expect(Array(sleeper.recorded.dropFirst(waitsBefore)) == [9, 2])
        emulator.inject([.truncatedJSON])
        await #expect(throws: PATClientError.self) { try await client.list() }
        emulator.inject([.signInPage])
        await #expect(throws: PATClientError.api(.notSignedIn)) { try await client.list() }
    }

    @Test("refresh tokens rotate: the old one is refused after use")
    func refreshRotation() async throws {
        let entra = EntraClient(configuration: configuration, transport: emulator, sleeper: sleeper, clock: clock)
        let challenge = try await entra.startDeviceCode()
        _ = emulator.handle(HTTPRequest(method: "POST", url: "\(base)/_emulator/approve?user_code=\(challenge.userCode)"))
        let first = try await entra.waitForSignIn(challenge)
        let refreshToken = try #require(first.refreshToken)
        let second = try await entra.refresh(refreshToken)
        #expect(second.refreshToken != refreshToken)
        await #expect(throws: EntraError.signInRequired(code: "invalid_grant")) { try await entra.refresh(refreshToken) }
    }

    @Test("a declined device code is reported as declined")
    func declined() async throws {
        let entra = EntraClient(configuration: configuration, transport: emulator, sleeper: sleeper, clock: clock)
        let challenge = try await entra.startDeviceCode()
        _ = emulator.handle(HTTPRequest(method: "POST", url: "\(base)/_emulator/decline?user_code=\(challenge.userCode)"))
        await #expect(throws: EntraError.declined) { try await entra.waitForSignIn(challenge) }
    }

    @Test("list pages through 150 PATs; read-only scope cannot push")
    func pagingAndScopes() async throws {
        let client = client(try await signIn())
        for index in 0..<150 {
            _ = try await client.create(PATCreateRequest(
                displayName: "pat-\(index)", scope: index == 0 ? "vso.code" : "vso.code_write",
                validTo: Date(timeIntervalSince1970: Double(clock.now() + 86_400))))
        }
        let all = try await client.list()
        #expect(all.count == 150)
        #expect(Set(all.map(\.authorizationID)).count == 150)
        let readOnly = try #require(all.first { $0.scope == "vso.code" })
        #expect(readOnly.token == nil)
    }

    @Test("connectionData accepts a live PAT of the organization by Basic auth, and nothing else")
    func connectionData() async throws {
        let client = client(try await signIn())
        let created = try await client.create(PATCreateRequest(
            displayName: "n", scope: "vso.code", validTo: Date(timeIntervalSince1970: Double(clock.now() + 86_400))))
        let secret = try #require(created.token)
        func check(_ organization: String, _ password: String) -> Int {
            let basic = Data(":\(password)".utf8).base64EncodedString()
            return emulator.handle(HTTPRequest(
                method: "GET", url: "\(base)/\(organization)/_apis/connectionData",
                headers: ["Authorization": "Basic \(basic)"])).status
        }
        #expect(check("contoso", secret.value) == 200)
        #expect(check("fabrikam", secret.value) == 401)
        #expect(check("contoso", "wrong") == 401)
        clock.advance(days: 2)
        #expect(check("contoso", secret.value) == 401)
    }

    @Test("the PAT manager against the emulator: create then revoke leaves no PAT anywhere")
    func managerLeavesNoOrphans() async throws {
        let client = client(try await signIn())
        let store = InMemoryCredentialStore()
        let journal = FileRotationJournal(directory: try TestPaths.temporaryDirectory("journal").path)
        let manager = PATManager(store: store, journal: journal, clock: clock)
        let credential = try await manager.create(
            organization: "contoso", client: client, displayName: "git-credential-azdo on host",
            scopes: ["vso.code_write"], days: 30, username: "contoso")
        #expect(emulator.livePATs(organization: "contoso") == [credential.metadata.authorizationID].compactMap { $0 })
        store.failure = .locked(.kWallet)
        await #expect(throws: PATManagerError.keyring(.locked(.kWallet))) {
            try await manager.create(
                organization: "contoso", client: client, displayName: "second", scopes: ["vso.code"], days: 30,
                username: "contoso")
        }
        #expect(emulator.livePATs(organization: "contoso").count == 1, "the PAT that could not be stored was revoked")
        store.failure = nil
        try await manager.revoke(organization: "contoso", client: client)
        #expect(emulator.livePATs(organization: "contoso").isEmpty)
        #expect(store.items.isEmpty)
    }
}
