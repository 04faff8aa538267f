import AzdoAPI
import AzdoCredential
import AzdoEmulatorCore
import AzdoHTTP
import AzdoLifecycle
import AzdoSystem
import AzdoTestSupport
import Foundation
import Testing

@Suite("The emulator's control endpoints and the PAT importer")
struct EmulatorControlTests {
    let clock = MovableClock(1_795_392_000)  // 2026-11-23
    let emulator: Emulator
    let base = "http://127.0.0.1:1"

    init() {
        let clock = self.clock
        emulator = Emulator(now: { clock.now() })
    }

    func post(_ pathAndQuery: String, body: String? = nil) -> Int {
        emulator.handle(HTTPRequest(
            method: "POST", url: "\(base)/_emulator/\(pathAndQuery)", body: body.map { Data($0.utf8) })).status
    }

    func accessToken() async throws -> Secret {
        let entra = EntraClient(
            configuration: EntraConfiguration(authority: base, tenant: "organizations", clientID: "client"),
            transport: emulator, sleeper: NoSleep(), clock: SystemClock())
        let challenge = try await entra.startDeviceCode()
        #expect(post("approve?user_code=\(challenge.userCode)") == 200)
        return try await entra.waitForSignIn(challenge).accessToken
    }

    func signedInClient(_ organization: String = "contoso") async throws -> PATClient {
        let token = try await accessToken()
        return PATClient(
            organization: organization, accessToken: token, transport: emulator, sleeper: NoSleep(), baseURL: base,
            maximumAttempts: 1)
    }

    func createPAT(_ client: PATClient, scope: String = "vso.code_write") async throws -> PATToken {
        try await client.create(PATCreateRequest(
            displayName: "n", scope: scope, validTo: Date(timeIntervalSince1970: Double(clock.now() + 86_400))))
    }

    @Test("a PAT made in the web UI is the organization's only one: git takes it, the API lists it, the old ones are revoked")
    func webUIPAT() async throws {
        let client = try await signedInClient()
        let created = try await createPAT(client)
        let post = { (body: String, organization: String) in
            self.emulator.handle(HTTPRequest(
                method: "POST", url: "\(self.base)/_emulator/pat?org=\(organization)", body: Data(body.utf8))).status
        }
        #expect(post("web-ui-token", "Contoso") == 200)
        #expect(emulator.authorizeGit(password: "web-ui-token", organization: "contoso", write: true))
        #expect(!emulator.authorizeGit(password: "web-ui-token", organization: "fabrikam", write: false))
        #expect(!emulator.authorizeGit(password: created.token?.value, organization: "contoso", write: false))
        #expect(emulator.revokedPATs(organization: "contoso") == [created.authorizationID])
        #expect(try await client.list().map(\.displayName) == ["made in the web UI"])
        #expect(post("", "contoso") == 200)
        #expect(!emulator.authorizeGit(password: "web-ui-token", organization: "contoso", write: false))
        #expect(emulator.livePATs(organization: "contoso").isEmpty)
        #expect(emulator.handle(HTTPRequest(method: "POST", url: "\(base)/_emulator/pat")).status == 400)
        #expect(emulator.gitAccessLog.map(\.accepted) == [true, false, false, false])
    }

    @Test("faults named in the query fail the next N PAT API answers, then the API works again")
    func faultsByQuery() async throws {
        let client = try await signedInClient()
        #expect(post("fault?kind=bogus") == 400)
        #expect(post("fault?kind=token-error") == 400, "token-error needs a code")
        #expect(post("fault?kind=forbidden&count=2") == 200)
        for _ in 0..<2 {
            await #expect(throws: PATClientError.api(.forbidden(
                message: "TF400813: The user is not authorized to access this resource.")))
            { try await client.list() }
        }
        #expect(try await client.list().isEmpty)

        #expect(post("fault?kind=token-error&code=invalidScope") == 200)
        await #expect(throws: PATClientError.api(.tokenError(.known("invalidScope"), message: "Injected invalidScope.")))
        { try await createPAT(client) }
        #expect(post("fault?kind=malformed-json") == 200)
        await #expect(throws: PATClientError.self) { try await client.list() }
        #expect(post("fault?kind=reset") == 200)
        await #expect(throws: PATClientError.transport(.connectionFailed(detail: "connection reset by peer"), attempts: 1)) {
            try await client.list()
        }
        #expect(post("fault?kind=unauthorized") == 200)
        await #expect(throws: PATClientError.api(.notSignedIn)) { try await client.list() }
        #expect(emulator.livePATs(organization: "contoso").isEmpty, "no faulted create went through")

        #expect(post("fault?kind=reset-after&method=post") == 200)
        #expect(try await client.list().isEmpty, "a fault for creates lets a list pass")
        await #expect(throws: PATClientError.transport(.connectionFailed(detail: "connection reset by peer"), attempts: 1)) {
            try await createPAT(client)
        }
        #expect(emulator.livePATs(organization: "contoso").count == 1, "reset-after carries the create out, then hangs up")
    }

    @Test("a slow fault answers normally, only late; it waits for a signed-in call")
    func slow() async throws {
        let token = try await accessToken()
        #expect(post("fault?kind=slow&seconds=3") == 200)
        func list(_ bearer: String) -> EmulatorReply {
            emulator.reply(to: HTTPRequest(
                method: "GET", url: "\(base)/contoso/_apis/tokens/pats?api-version=7.1-preview.1",
                headers: ["Authorization": "Bearer \(bearer)"]))
        }
        let anonymous = list("nobody")
        #expect(anonymous.response.status == 203)
        #expect(anonymous.delaySeconds == 0)
        let late = list(token.value)
        #expect(late.response.status == 200)
        #expect(String(decoding: late.response.body, as: UTF8.self).contains(#""patTokens":[]"#))
        #expect(late.delaySeconds == 3)
        #expect(list(token.value).delaySeconds == 0)
    }

    @Test("policy by query: lifespan clamp, full-scope and creation bans; a new call resets the others")
    func policyByQuery() async throws {
        let client = try await signedInClient()
        #expect(post("policy?max-days=1&forbid-full-scope=true") == 200)
        await #expect(throws: PATClientError.self) { try await createPAT(client, scope: "app_token") }
        let created = try await client.create(PATCreateRequest(
            displayName: "n", scope: "vso.code", validTo: Date(timeIntervalSince1970: Double(clock.now() + 30 * 86_400))))
        #expect(Int64(created.validTo.timeIntervalSince1970) == clock.now() + 86_400)
        #expect(post("policy?disable-creation=true") == 200)
        await #expect(throws: PATClientError.api(.tokenError(
            .known("disablePatCreationPolicyViolation"),
            message: "Your organization has restricted personal access token creation. Contact your administrator.")))
        { try await createPAT(client) }
        #expect(post("policy?disable-creation=true&allowlisted=true") == 200)
        _ = try await createPAT(client)
        #expect(post("policy") == 200)
        _ = try await createPAT(client, scope: "app_token")
    }

    @Test("an anonymous request gets the 401 naming the tenant, which discovery reads")
    func tenantChallenge() async throws {
        let tenant = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
        let before = emulator.handle(HTTPRequest(method: "HEAD", url: "\(base)/contoso"))
        #expect(before.status == 401)
        #expect(before.headers["X-VSS-ResourceTenant"] == "00000000-0000-0000-0000-000000000000")
        #expect(await TenantDiscovery.tenant(of: "contoso", server: base, transport: emulator) == "organizations")

        #expect(post("tenant?org=Contoso&tenant=\(tenant)") == 200)
        #expect(post("tenant?org=contoso") == 400)
        let after = emulator.handle(HTTPRequest(method: "HEAD", url: "\(base)/contoso"))
        #expect(after.headers["WWW-Authenticate"]?.hasPrefix("Bearer authorization_uri=\(base)/\(tenant), Basic ") == true)
        #expect(await TenantDiscovery.tenant(of: "contoso", server: base, transport: emulator) == tenant)
        #expect(await TenantDiscovery.tenant(of: "fabrikam", server: base, transport: emulator) == "organizations")
    }

    @Test("the git log records which organization's PAT came with each request, never the PAT")
    func gitLog() async throws {
        let secret = try #require(try await createPAT(try await signedInClient()).token)
        #expect(emulator.authorizeGit(password: secret.value, organization: "contoso", write: true))
        #expect(!emulator.authorizeGit(password: secret.value, organization: "fabrikam", write: false))
        #expect(!emulator.authorizeGit(password: nil, organization: "contoso", write: false))
        #expect(!emulator.authorizeGit(password: "made-up", organization: "contoso", write: false))
        #expect(emulator.gitAccessLog.map { "\($0.organization) \($0.tokenOrganization ?? "-") \($0.accepted)" } == [
            "contoso contoso true", "fabrikam contoso false", "contoso - false", "contoso - false",
        ])
        let body = emulator.handle(HTTPRequest(method: "GET", url: "\(base)/_emulator/git-log")).body
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.split(separator: "\n").count == 4)
        #expect(text.contains(#"{"accepted":false,"entra":false,"organization":"fabrikam","tokenOrganization":"contoso"}"#))
        #expect(!text.contains(secret.value))
    }

    @Test("git takes a live access token for any organization until it expires, as a Basic password or Bearer")
    func accessTokensAtGit() async throws {
        let token = try await accessToken()
        #expect(emulator.authorizeGit(password: token.value, organization: "contoso", write: true))
        #expect(emulator.authorizeGit(password: token.value, organization: "fabrikam", write: false))
        #expect(emulator.gitAccessLog.map(\.entra) == [true, true])
        let bearer = HTTPRequest(method: "GET", url: "\(base)/x", headers: ["Authorization": "Bearer \(token.value)"])
        #expect(Emulator.gitCredential(bearer) == token.value)
        clock.advance(seconds: 3_600)
        #expect(!emulator.authorizeGit(password: token.value, organization: "contoso", write: false))
        #expect(emulator.gitAccessLog.last?.entra == false)
    }

    @Test("global PATs stop working on 2026-12-01: git refuses them, and creating or updating one fails")
    func globalPATRetirement() async throws {
        #expect(post("pat?org=contoso&all-orgs=true", body: "GLOBAL-PAT") == 200)
        #expect(emulator.authorizeGit(password: "GLOBAL-PAT", organization: "contoso", write: true))
        clock.advance(seconds: Emulator.globalPATRetirement - clock.now())
        #expect(!emulator.authorizeGit(password: "GLOBAL-PAT", organization: "contoso", write: false))
        let client = try await signedInClient()
        await #expect(throws: PATClientError.api(.tokenError(
            .known("globalPatPolicyViolation"), message: "Global personal access tokens are no longer supported.")))
        {
            var request = PATCreateRequest(
                displayName: "g", scope: "vso.code", validTo: Date(timeIntervalSince1970: Double(clock.now() + 86_400)))
            request.allOrgs = true
            return try await client.create(request)
        }
        let listed = try await client.list(filter: "active")
        #expect(listed.map(\.isGlobal) == [true])
        #expect(Emulator.globalPATRetirement == PATToken.globalRetirement)
    }

    @Test("import stores only what the organization accepts; it replaces typed PATs and keeps created ones")
    func importer() async throws {
        let client = try await signedInClient()
        let secret = try #require(try await createPAT(client).token)
        let store = InMemoryCredentialStore()
        let typed = StoredCredential(
            server: base, organization: "contoso", username: "contoso", secret: Secret("typed"),
            metadata: PATMetadata(source: .typed, storedAt: 1))
        var created = typed
        created.secret = Secret("created")
        created.metadata = PATMetadata(source: .created, storedAt: 2, authorizationID: "id-1")
        store.seed(typed)
        store.seed(created)
        let importer = PATImporter(store: store, transport: emulator, clock: clock, server: base)

        await #expect(throws: PATImportError.rejected(organization: "fabrikam", status: 401)) {
            try await importer.importPAT(secret, organization: "fabrikam", validTo: nil)
        }
        await #expect(throws: PATImportError.malformed) {
            try await importer.importPAT(Secret("a\u{7}b"), organization: "contoso", validTo: nil)
        }
        await #expect(throws: PATImportError.expiryInPast("2026-11-22")) {
            try await importer.importPAT(secret, organization: "contoso", validTo: clock.now() - 86_400)
        }
        #expect(store.items.map(\.credential) == [typed, created])

        #expect(try await importer.importPAT(secret, organization: "contoso", validTo: clock.now() + 86_400))
        #expect(store.items.map(\.credential.secret) == [Secret("created"), secret])
        #expect(store.items.last?.credential.metadata == PATMetadata(
            source: .imported, storedAt: clock.now(), validTo: clock.now() + 86_400))
        #expect(try await !importer.importPAT(secret, organization: "contoso", validTo: nil), "already stored")

        store.failure = .locked(.kWallet)
        await #expect(throws: PATImportError.keyring(.locked(.kWallet))) {
            try await importer.importPAT(Secret("other"), organization: "contoso", validTo: nil)
        }
    }
}
