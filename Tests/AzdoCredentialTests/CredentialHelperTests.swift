import AzdoTestSupport
import Testing
@testable import AzdoCredential

/// A request for `https://dev.azure.com/{path}` with the given attributes.
private func azdoRequest(
    path: String? = "contoso/Web/_git/site", username: String? = nil, password: String? = nil,
    expiry: Int64? = nil, host: String = "dev.azure.com"
) -> CredentialRequest {
    var request = CredentialRequest()
    request.protocol = "https"
    request.host = host
    request.path = path
    request.username = username
    request.password = password.map(Secret.init)
    request.passwordExpiryUTC = expiry
    return request
}

@Suite("Credential helper: get")
struct CredentialHelperGetTests {
    let fixture = HelperFixture()
    let now = HelperFixture.defaultNow

    @Test("returns the organization's username, PAT and expiry")
    func returnsStoredPAT() throws {
        fixture.seed("contoso", secret: "pat-contoso", validTo: now + 86_400)
        let response = try #require(fixture.helper.get(azdoRequest()))
        #expect(response == CredentialResponse(username: "contoso", password: Secret("pat-contoso"), passwordExpiryUTC: now + 86_400))
        #expect(fixture.sink.lines.isEmpty)
    }

    @Test("a PAT without a known expiry is returned without password_expiry_utc")
    func unknownExpiry() throws {
        fixture.seed("contoso", secret: "pat-contoso")
        let response = try #require(fixture.helper.get(azdoRequest(path: nil, username: "contoso")))
        #expect(response.password?.value == "pat-contoso")
        #expect(response.passwordExpiryUTC == nil)
    }

    @Test("a PAT stored for one organization is never returned for another")
    func otherOrganization() {
        fixture.seed("contoso", secret: "pat-contoso")
        fixture.seed("fabrikam", secret: "pat-fabrikam", server: "https://git.example.com")
        #expect(fixture.helper.get(azdoRequest(path: "fabrikam/Web/_git/site")) == nil)
        #expect(fixture.helper.get(azdoRequest(path: nil, username: "fabrikam")) == nil)
        #expect(fixture.helper.get(azdoRequest(path: nil, host: "fabrikam.visualstudio.com")) == nil)
        #expect(fixture.helper.get(azdoRequest(path: "contoso"))?.password?.value == "pat-contoso")
    }

    @Test("an expired PAT is never returned; one line names the organization and the day it expired")
    func expiredPAT() {
        // 2025-01-01T00:00:00Z.
        fixture.seed("contoso", secret: "pat-old", storedAt: 10, validTo: 1_735_689_600)
        #expect(fixture.helper.get(azdoRequest()) == nil)
        #expect(fixture.sink.lines.count == 1)
        let line = fixture.sink.lines.first ?? ""
        #expect(line.contains("contoso"))
        #expect(line.contains("2025-01-01"))
        #expect(!line.contains("pat-old"))
        #expect(!line.contains("\n"))
    }

    @Test("a PAT expiring exactly now is expired; one expiring a second later is not")
    func expiryBoundary() {
        fixture.seed("contoso", secret: "pat-now", validTo: now)
        #expect(fixture.helper.get(azdoRequest()) == nil)
        fixture.seed("contoso", secret: "pat-later", validTo: now + 1)
        #expect(fixture.helper.get(azdoRequest())?.password?.value == "pat-later")
    }

    @Test("the newest unexpired PAT wins")
    func newestWins() {
        fixture.seed("contoso", user: "a", secret: "pat-100", storedAt: 100)
        fixture.seed("contoso", user: "c", secret: "pat-300", storedAt: 300, validTo: now + 10)
        fixture.seed("contoso", user: "b", secret: "pat-200", storedAt: 200)
        fixture.seed("contoso", user: "d", secret: "pat-expired", storedAt: 400, validTo: now - 10)
        let response = fixture.helper.get(azdoRequest())
        #expect(response?.password?.value == "pat-300")
        #expect(response?.username == "c")
        #expect(fixture.sink.lines.isEmpty)
    }

    @Test("among PATs stored at the same time, the one living longest wins")
    func sameTimeLongestLives() {
        fixture.seed("contoso", secret: "pat-short", storedAt: 100, validTo: now + 10)
        fixture.seed("contoso", secret: "pat-unknown", storedAt: 100)
        fixture.seed("contoso", secret: "pat-long", storedAt: 100, validTo: now + 1_000)
        #expect(fixture.helper.get(azdoRequest())?.password?.value == "pat-unknown")
    }

    @Test("a username other than the organization selects that account's PAT only")
    func explicitAccount() {
        fixture.seed("contoso", user: "alice", secret: "pat-alice", storedAt: 100)
        fixture.seed("contoso", user: "bob", secret: "pat-bob", storedAt: 200)
        #expect(fixture.helper.get(azdoRequest(username: "alice"))?.password?.value == "pat-alice")
        #expect(fixture.helper.get(azdoRequest(username: "ALICE"))?.password?.value == "pat-alice")
        #expect(fixture.helper.get(azdoRequest(username: "carol")) == nil)
        #expect(fixture.sink.lines.isEmpty)
    }

    @Test("an account's expired PAT is reported even when another account has a valid one")
    func explicitAccountExpired() {
        fixture.seed("contoso", user: "alice", secret: "pat-alice", storedAt: 100, validTo: now - 1)
        fixture.seed("contoso", user: "bob", secret: "pat-bob", storedAt: 200)
        #expect(fixture.helper.get(azdoRequest(username: "alice")) == nil)
        #expect(fixture.sink.lines.count == 1)
        #expect(fixture.sink.lines.first?.contains("2025-12-31") == true)
    }

    @Test("a username equal to the organization returns any account's PAT")
    func usernameIsOrganization() {
        fixture.seed("contoso", user: "alice", secret: "pat-alice", storedAt: 100)
        let response = fixture.helper.get(azdoRequest(username: "Contoso"))
        #expect(response?.username == "alice")
        #expect(response?.password?.value == "pat-alice")
    }

    @Test("a stored PAT with an empty username is answered with the organization as username")
    func emptyStoredUsername() {
        fixture.seed("contoso", user: "", secret: "pat")
        #expect(fixture.helper.get(azdoRequest())?.username == "contoso")
    }

    @Test("a keyring error: nothing returned, its description reported", arguments: [
        KeyringError.locked(.kWallet), .promptUnanswered(.keePassXC, .access, seconds: 3),
        .timedOut(.gnomeKeyring, milliseconds: 5_000), .noSessionBus(detail: "unset"),
    ])
    func keyringError(error: KeyringError) {
        fixture.seed("contoso", secret: "pat")
        fixture.store.failure = error
        #expect(fixture.helper.get(azdoRequest()) == nil)
        #expect(fixture.sink.lines == [error.description])
    }

    @Test("a refused request reports why and answers nothing; a foreign host is silent")
    func refusedAndForeign() {
        fixture.seed("contoso", secret: "pat")
        #expect(fixture.helper.get(azdoRequest(path: nil)) == nil)
        #expect(fixture.sink.lines == [RemoteRefusal.unknownOrganization(host: "dev.azure.com").description])

        var http = azdoRequest()
        http.protocol = "http"
        #expect(fixture.helper.get(http) == nil)
        #expect(fixture.sink.lines.count == 2)

        #expect(fixture.helper.get(azdoRequest(host: "github.com")) == nil)
        #expect(fixture.sink.lines.count == 2)
    }
}

@Suite("Credential helper: store")
struct CredentialHelperStoreTests {
    let fixture = HelperFixture()
    let now = HelperFixture.defaultNow

    @Test("saves a typed PAT with validTo from password_expiry_utc")
    func savesTypedPAT() throws {
        try fixture.helper.store(azdoRequest(username: "contoso", password: "pat-1", expiry: now + 3_600))
        let items = fixture.store.items
        #expect(items.count == 1)
        let stored = try #require(items.first?.credential)
        #expect(
            stored
                == StoredCredential(
                    server: "https://dev.azure.com", organization: "contoso", username: "contoso", secret: Secret("pat-1"),
                    metadata: PATMetadata(source: .typed, storedAt: now, validTo: now + 3_600)))
    }

    @Test("without (or with a zero) password_expiry_utc validTo is unknown")
    func noExpiry() throws {
        try fixture.helper.store(azdoRequest(username: "contoso", password: "pat-1"))
        try fixture.helper.store(azdoRequest(path: "fabrikam", username: "fabrikam", password: "pat-2", expiry: 0))
        #expect(fixture.store.items.map(\.credential.metadata.validTo) == [nil, nil])
        #expect(fixture.store.items.map(\.credential.organization) == ["contoso", "fabrikam"])
    }

    @Test("storing the value already there changes nothing")
    func identicalIsNoOp() throws {
        let id = fixture.seed("contoso", secret: "pat-1", storedAt: 5)
        let before = fixture.store.items
        try fixture.helper.store(azdoRequest(username: "contoso", password: "pat-1"))
        try fixture.helper.store(azdoRequest(username: "CONTOSO", password: "pat-1", expiry: now + 10))
        #expect(fixture.store.items == before)
        #expect(fixture.store.items.map(\.id) == [id])
    }

    @Test("a new value replaces the old one for that username only")
    func newValueReplaces() throws {
        let old = fixture.seed("contoso", secret: "pat-old")
        let other = fixture.seed("contoso", user: "alice", secret: "pat-alice")
        let elsewhere = fixture.seed("fabrikam", secret: "pat-fabrikam")
        try fixture.helper.store(azdoRequest(username: "contoso", password: "pat-new"))
        let contoso = fixture.store.items.filter { $0.credential.organization == "contoso" && $0.credential.username == "contoso" }
        #expect(contoso.count == 1)
        #expect(contoso.first?.credential.secret.value == "pat-new")
        #expect(contoso.first?.id != old)
        let ids = fixture.store.items.map(\.id)
        #expect(!ids.contains(old))
        #expect(ids.contains(other))
        #expect(ids.contains(elsewhere))
        #expect(ids.count == 3)
    }

    @Test("an ephemeral credential is not stored")
    func ephemeral() throws {
        var request = azdoRequest(username: "contoso", password: "pat-1")
        request.ephemeral = true
        try fixture.helper.store(request)
        #expect(fixture.store.items.isEmpty)
    }

    @Test("an already expired password is not stored", arguments: [Int64(1), HelperFixture.defaultNow - 1, HelperFixture.defaultNow])
    func expired(expiry: Int64) throws {
        try fixture.helper.store(azdoRequest(username: "contoso", password: "pat-1", expiry: expiry))
        #expect(fixture.store.items.isEmpty)
    }

    @Test("a missing or empty password is an error and stores nothing")
    func missingPassword() {
        #expect(throws: HelperError.missingPassword) {
            try fixture.helper.store(azdoRequest(username: "contoso"))
        }
        #expect(throws: HelperError.missingPassword) {
            try fixture.helper.store(azdoRequest(username: "contoso", password: ""))
        }
        #expect(fixture.store.items.isEmpty)
        #expect(HelperError.missingPassword.description.contains("'password='"))
    }

    @Test("a blank or missing username (Enter at git's prompt) stores the PAT as the organization's default account",
        arguments: [String?.none, ""])
    func blankUsername(username: String?) throws {
        try fixture.helper.store(azdoRequest(username: username, password: "pat-1"))
        #expect(fixture.store.items.map(\.credential.username) == ["contoso"])
        let response = try #require(fixture.helper.get(azdoRequest()))
        #expect(response.username == "contoso" && response.password == Secret("pat-1"))
        #expect(fixture.helper.get(azdoRequest(username: "contoso"))?.password == Secret("pat-1"))

        try fixture.helper.store(azdoRequest(username: username, password: "pat-2"))
        #expect(fixture.store.items.map(\.credential.secret) == [Secret("pat-2")], "a new default replaces the old one")
    }

    @Test("oauth_refresh_token is kept with the PAT and given back; a new one for the same PAT replaces it in one item")
    func refreshTokenKept() throws {
        var request = azdoRequest(username: "user4", password: "pass", expiry: now + 3_600)
        request.oauthRefreshToken = Secret("xyzzy")
        try fixture.helper.store(request)
        let response = try #require(fixture.helper.get(azdoRequest(username: "user4")))
        #expect(response.password == Secret("pass") && response.oauthRefreshToken == Secret("xyzzy"))
        #expect(response.passwordExpiryUTC == now + 3_600)

        try fixture.helper.store(request)
        #expect(fixture.store.items.count == 1, "storing what is stored changes nothing")
        request.oauthRefreshToken = Secret("plugh")
        try fixture.helper.store(request)
        #expect(fixture.store.items.map(\.credential.oauthRefreshToken) == [Secret("plugh")])
        #expect(fixture.store.items.map(\.credential.secret) == [Secret("pass")])
    }

    @Test("an expired password with a refresh token: get gives the username and the token, never the password")
    func expiredWithRefreshToken() throws {
        var request = azdoRequest(username: "user4", password: "expired-soon", expiry: now + 60)
        request.oauthRefreshToken = Secret("xyzzy")
        try fixture.helper.store(request)
        let later = HelperFixture(now: now + 120, store: fixture.store)
        let response = try #require(later.helper.get(azdoRequest(username: "user4")))
        #expect(response.password == nil && response.passwordExpiryUTC == nil)
        #expect(response.username == "user4" && response.oauthRefreshToken == Secret("xyzzy"))
    }

    @Test("a foreign host is left alone without an error")
    func foreignHost() throws {
        try fixture.helper.store(azdoRequest(path: "owner/repo", username: "octocat", password: "ghp-1", host: "github.com"))
        #expect(fixture.store.items.isEmpty)
        #expect(fixture.sink.lines.isEmpty)
    }

    @Test("a refused request throws the refusal")
    func refused() {
        #expect(throws: HelperError.refused(.unknownOrganization(host: "dev.azure.com"))) {
            try fixture.helper.store(azdoRequest(path: nil, password: "pat-1"))
        }
        var http = azdoRequest(username: "contoso", password: "pat-1")
        http.protocol = "http"
        #expect(throws: HelperError.refused(.insecureProtocol(scheme: "http", host: "dev.azure.com"))) {
            try fixture.helper.store(http)
        }
        #expect(fixture.store.items.isEmpty)
    }

    @Test("a keyring error surfaces as .keyring")
    func keyringError() {
        fixture.store.failure = .locked(.gnomeKeyring)
        #expect(throws: HelperError.keyring(.locked(.gnomeKeyring))) {
            try fixture.helper.store(azdoRequest(username: "contoso", password: "pat-1"))
        }
        #expect(HelperError.keyring(.locked(.gnomeKeyring)).description == KeyringError.locked(.gnomeKeyring).description)
    }
}

@Suite("Credential helper: erase")
struct CredentialHelperEraseTests {
    let fixture = HelperFixture()

    @Test("erase with the rejected password deletes exactly that PAT")
    func matchingPassword() throws {
        fixture.seed("contoso", secret: "pat-bad")
        let keep = fixture.seed("contoso", user: "alice", secret: "pat-good")
        try fixture.helper.erase(azdoRequest(username: "contoso", password: "pat-bad"))
        #expect(fixture.store.items.map(\.id) == [keep])
    }

    @Test("erase with a stale password deletes nothing")
    func stalePassword() throws {
        fixture.seed("contoso", secret: "pat-rotated")
        let before = fixture.store.items
        try fixture.helper.erase(azdoRequest(username: "contoso", password: "pat-stale"))
        #expect(fixture.store.items == before)
        #expect(before.count == 1)
    }

    @Test("erase without a password deletes the organization's PATs, and only those")
    func withoutPassword() throws {
        fixture.seed("contoso", secret: "pat-1")
        fixture.seed("contoso", user: "alice", secret: "pat-2")
        let other = fixture.seed("fabrikam", secret: "pat-3")
        try fixture.helper.erase(azdoRequest())
        #expect(fixture.store.items.map(\.id) == [other])
    }

    @Test("erase with an account deletes only that account's PATs")
    func withAccount() throws {
        fixture.seed("contoso", user: "alice", secret: "pat-alice")
        let bob = fixture.seed("contoso", user: "bob", secret: "pat-bob")
        try fixture.helper.erase(azdoRequest(username: "Alice"))
        #expect(fixture.store.items.map(\.id) == [bob])
    }

    @Test("erase for dev.azure.com without an organization is refused")
    func unknownOrganization() {
        fixture.seed("contoso", secret: "pat-1")
        #expect(throws: HelperError.refused(.unknownOrganization(host: "dev.azure.com"))) {
            try fixture.helper.erase(azdoRequest(path: nil, password: "pat-1"))
        }
        #expect(fixture.store.items.count == 1)
    }

    @Test("erase for a foreign host does nothing")
    func foreignHost() throws {
        fixture.seed("contoso", secret: "pat-1")
        try fixture.helper.erase(azdoRequest(path: "contoso", host: "github.com"))
        #expect(fixture.store.items.count == 1)
    }

    @Test("a keyring error surfaces as .keyring")
    func keyringError() {
        fixture.seed("contoso", secret: "pat-1")
        fixture.store.failure = .noSecretService(detail: "not provided")
        #expect(throws: HelperError.keyring(.noSecretService(detail: "not provided"))) {
            try fixture.helper.erase(azdoRequest(password: "pat-1"))
        }
        fixture.store.failure = nil
        #expect(fixture.store.items.count == 1)
    }
}

@Suite("Helper program")
struct HelperProgramTests {
    let fixture = HelperFixture()

    @Test("invalid input for get: exit 0, nothing on stdout, one diagnostic line")
    func invalidGet() {
        fixture.seed("contoso", secret: "pat-1")
        let outcome = fixture.program.run(.get, input: Array("protocol=https\nhost=dev.azure.com\npath\n".utf8))
        #expect(outcome.exitStatus == 0)
        #expect(outcome.standardOutput == "")
        #expect(fixture.sink.lines == [CredentialProtocolError.missingEquals(line: 3).description])
    }

    @Test("invalid input for store and erase: exit 1, one diagnostic line", arguments: [HelperProgram.Action.store, .erase])
    func invalidStoreErase(action: HelperProgram.Action) {
        let outcome = fixture.program.run(action, input: Array("protocol=https\nhost=dev.azure.com\0\n".utf8))
        #expect(outcome.exitStatus == 1)
        #expect(outcome.standardOutput == "")
        #expect(fixture.sink.lines == [CredentialProtocolError.nulByte(line: 2).description])
        #expect(fixture.store.items.isEmpty)
    }

    @Test("a successful get prints exactly the protocol lines")
    func successfulGet() {
        fixture.seed("contoso", secret: "pat-1", validTo: 1_800_000_000)
        let input = "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=dev.azure.com\npath=contoso/Web/_git/site\n"
            + "wwwauth[]=Basic realm=\"x\"\n\n"
        let outcome = fixture.program.run(.get, input: Array(input.utf8))
        #expect(outcome.exitStatus == 0)
        #expect(outcome.standardOutput == "username=contoso\npassword=pat-1\npassword_expiry_utc=1800000000\n")
        #expect(fixture.sink.lines.isEmpty)
    }

    @Test("get with nothing stored prints nothing and exits 0")
    func emptyGet() {
        let outcome = fixture.program.run(.get, input: Array("protocol=https\nhost=contoso.visualstudio.com\n".utf8))
        #expect(outcome.exitStatus == 0)
        #expect(outcome.standardOutput == "")
        #expect(fixture.sink.lines.isEmpty)
    }

    @Test("store then get round-trips through the program")
    func storeThenGet() {
        let stored = fixture.program.run(
            .store, input: Array("protocol=https\nhost=dev.azure.com\nusername=contoso\npassword=pat-9\n".utf8))
        #expect(stored.exitStatus == 0)
        #expect(stored.standardOutput == "")
        let fetched = fixture.program.run(.get, input: Array("protocol=https\nhost=dev.azure.com\nusername=contoso\n".utf8))
        #expect(fetched.standardOutput == "username=contoso\npassword=pat-9\n")
    }

    @Test("a store that fails after parsing exits 1 with one diagnostic line")
    func storeFailure() {
        let outcome = fixture.program.run(.store, input: Array("protocol=https\nhost=dev.azure.com\nusername=contoso\n".utf8))
        #expect(outcome.exitStatus == 1)
        #expect(outcome.standardOutput == "")
        #expect(fixture.sink.lines == [HelperError.missingPassword.description])
    }

    @Test("a url= with an encoded newline yields one-line diagnostics and stores nothing")
    func encodedNewlineInURL() {
        let get = fixture.program.run(.get, input: Array("url=https://dev.azure.com/%0Aevil/_git/r\n".utf8))
        #expect(get.standardOutput == "")
        #expect(get.exitStatus == 0)
        #expect(fixture.sink.lines == [CredentialProtocolError.invalidURL(line: 1).description])

        let store = fixture.program.run(
            .store, input: Array("url=https://a%0Ab:p%0Aq@dev.azure.com/contoso/_git/r\n".utf8))
        #expect(store.exitStatus == 1)
        #expect(fixture.store.items.isEmpty)
        #expect(!fixture.sink.lines.contains { $0.contains(where: \.isNewline) })
    }

    @Test("a control character in the organization is escaped in the one-line diagnostic")
    func controlCharacterInOrganizationIsEscaped() {
        let get = fixture.program.run(
            .get, input: Array("protocol=https\nhost=dev.azure.com\npath=\u{1B}[31mred/p\n".utf8))
        #expect(get.standardOutput == "")
        #expect(fixture.sink.lines == ["'\\x1B[31mred' is not a valid Azure DevOps organization name; check the remote URL"])
    }

    @Test("erase through the program exits 0 and deletes the PAT")
    func eraseThroughProgram() {
        fixture.seed("contoso", secret: "pat-1")
        let outcome = fixture.program.run(
            .erase, input: Array("protocol=https\nhost=dev.azure.com\nusername=contoso\npassword=pat-1\n".utf8))
        #expect(outcome.exitStatus == 0)
        #expect(fixture.store.items.isEmpty)
    }
}

@Suite("The lifecycle executable's access-token answer")
struct AccessTokenAnswerTests {
    @Test("the answer's lines round-trip; without a token or an expiry there is no token")
    func roundTrip() {
        let token = CachedAccessToken(
            server: "https://dev.azure.com", organization: "contoso", account: "ana@contoso.com",
            token: Secret("eyJ.a=b.c"), expiresAt: 1_795_400_000)
        let text = LifecycleAccessTokenRenewer.answer(for: token)
        #expect(LifecycleAccessTokenRenewer.parse(text, server: token.server, organization: "contoso") == token)
        #expect(LifecycleAccessTokenRenewer.parse("account=a\nexpires_at=1\n", server: "s", organization: "o") == nil)
        #expect(LifecycleAccessTokenRenewer.parse("token=t\nexpires_at=soon\n", server: "s", organization: "o") == nil)
        #expect(token.isUsable(at: 1_795_400_000 - 301))
        #expect(!token.isUsable(at: 1_795_400_000 - 300))
    }
}
