import AzdoSystem
import AzdoTestSupport
import Synchronization
import Testing
@testable import AzdoCredential

/// Every organization has the type it is given.
struct FixedTypes: CredentialTypeSource {
    var type: CredentialType
    func lookUp(organization: String, diagnostics: any DiagnosticSink) -> PendingCredentialChoice {
        .known(type == .oauth ? .oauth : .pat)
    }
}

/// Cached access tokens in memory.
final class MemoryAccessTokens: AccessTokenStore {
    let items = Mutex<[(id: String, token: CachedAccessToken)]>([])

    func accessTokens(server: String, organization: String) throws(KeyringError) -> [(id: String, token: CachedAccessToken)] {
        items.withLock { $0.filter { $0.token.server == server && $0.token.organization == organization } }
    }

    func saveAccessToken(_ token: CachedAccessToken) throws(KeyringError) {
        items.withLock { $0.append(("\(token.token.value)-id", token)) }
    }

    func removeAccessToken(id: String) throws(KeyringError) {
        items.withLock { $0.removeAll { $0.id == id } }
    }
}

/// Hands out `token` (nil: renewal fails) and counts the calls.
final class CountingRenewer: AccessTokenRenewer {
    let token: CachedAccessToken?
    let calls = Mutex(0)
    init(_ token: CachedAccessToken?) { self.token = token }
    func renew(server: String, organization: String) -> CachedAccessToken? {
        calls.withLock { $0 += 1 }
        return token
    }
}

@Suite("Credential helper with Entra access tokens (credentialType oauth)")
struct OAuthHelperTests {
    let now = HelperFixture.defaultNow
    let store = InMemoryCredentialStore()
    let tokens = MemoryAccessTokens()
    let sink = RecordingSink()

    func token(_ value: String, expiresIn seconds: Int64, account: String = "ana@contoso.com") -> CachedAccessToken {
        CachedAccessToken(
            server: RemoteTarget.azureDevOpsServer, organization: "contoso", account: account, token: Secret(value),
            expiresAt: now + seconds)
    }

    func helper(_ type: CredentialType, renewer: CountingRenewer) -> CredentialHelper {
        CredentialHelper(
            store: store, resolver: RemoteResolver(extraHosts: FakeExtraHostSource()), clock: FixedClock(now),
            diagnostics: sink, oauth: OAuthCredentials(types: FixedTypes(type: type), tokens: tokens, renewer: renewer))
    }

    func request(capabilities: [String] = [], password: String? = nil, credential: String? = nil) -> CredentialRequest {
        var request = CredentialRequest()
        request.protocol = "https"
        request.host = "dev.azure.com"
        request.path = "contoso/Web/_git/site"
        request.capabilities = capabilities
        request.password = password.map(Secret.init)
        request.credential = credential.map(Secret.init)
        return request
    }

    @Test("a cached token with more than 5 minutes left is answered without renewal: Basic, or Bearer with the capability")
    func cached() throws {
        try tokens.saveAccessToken(token("eyJ.cached.sig", expiresIn: 301))
        let renewer = CountingRenewer(nil)
        let basic = try #require(helper(.oauth, renewer: renewer).get(request()))
        #expect(basic == CredentialResponse(username: "ana@contoso.com", password: Secret("eyJ.cached.sig"), passwordExpiryUTC: now + 301))
        let bearer = try #require(helper(.oauth, renewer: renewer).get(request(capabilities: ["authtype"])))
        #expect(bearer.serialized(capabilities: ["authtype"])
            == "capability[]=authtype\npassword_expiry_utc=\(now + 301)\nauthtype=Bearer\ncredential=eyJ.cached.sig\n")
        #expect(renewer.calls.withLock { $0 } == 0)
    }

    @Test("a token within 5 minutes of expiry is renewed; without an account the organization is the username")
    func renewed() throws {
        try tokens.saveAccessToken(token("eyJ.old.sig", expiresIn: 300))
        let renewer = CountingRenewer(token("eyJ.new.sig", expiresIn: 3_600, account: ""))
        let answer = try #require(helper(.oauth, renewer: renewer).get(request()))
        #expect(answer.password == Secret("eyJ.new.sig"))
        #expect(answer.username == "contoso")
        #expect(renewer.calls.withLock { $0 } == 1)
    }

    @Test("a failed renewal falls back to a live PAT; without one, nothing")
    func fallsBackToPAT() throws {
        let renewer = CountingRenewer(nil)
        #expect(helper(.oauth, renewer: renewer).get(request()) == nil)
        store.seed(StoredCredential(
            server: RemoteTarget.azureDevOpsServer, organization: "contoso", username: "contoso", secret: Secret("pat"),
            metadata: PATMetadata(source: .typed, storedAt: 1, validTo: now + 86_400)))
        #expect(helper(.oauth, renewer: renewer).get(request())?.password == Secret("pat"))
        #expect(renewer.calls.withLock { $0 } == 2)
    }

    @Test("a pat organization never asks for a token")
    func patOrganization() throws {
        let renewer = CountingRenewer(token("eyJ.t.s", expiresIn: 3_600))
        #expect(helper(.pat, renewer: renewer).get(request()) == nil)
        #expect(renewer.calls.withLock { $0 } == 0)
    }

    @Test("store keeps no access token, not even one replaced meanwhile; a PAT typed at the prompt is kept")
    func storeKeepsNoToken() throws {
        let helper = helper(.oauth, renewer: CountingRenewer(nil))
        try helper.store(request(credential: "eyJ.bearer.sig"))
        try helper.store(request(password: "eyJhbGciOi.replaced.sig"))
        #expect(self.store.items.isEmpty)
        try helper.store(request(password: "typedpat52characterslong0000000000000000000000000000"))
        #expect(self.store.items.map(\.credential.secret.value) == ["typedpat52characterslong0000000000000000000000000000"])
    }

    @Test("erase of a rejected token removes that cached token only, never a PAT")
    func erase() throws {
        try tokens.saveAccessToken(token("eyJ.rejected.sig", expiresIn: 3_600))
        store.seed(StoredCredential(
            server: RemoteTarget.azureDevOpsServer, organization: "contoso", username: "contoso", secret: Secret("pat"),
            metadata: PATMetadata(source: .typed, storedAt: 1)))
        let helper = helper(.oauth, renewer: CountingRenewer(nil))
        try helper.erase(request(credential: "eyJ.other.sig"))
        #expect(try tokens.accessTokens(server: RemoteTarget.azureDevOpsServer, organization: "contoso").count == 1)
        try helper.erase(request(credential: "eyJ.rejected.sig"))
        #expect(try tokens.accessTokens(server: RemoteTarget.azureDevOpsServer, organization: "contoso").isEmpty)
        #expect(self.store.items.count == 1)
    }
}
