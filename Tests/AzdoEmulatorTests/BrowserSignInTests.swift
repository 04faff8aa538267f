import AzdoAPI
import AzdoCredential
import AzdoEmulatorCore
import AzdoHTTP
import AzdoTestSupport
import Foundation
import Testing

/// The browser sign-in (authorization code with PKCE) between the real `EntraClient` and
/// the emulator, with the test playing the browser: it opens the sign-in URL and reads the
/// redirect that Entra would send back to the loopback listener.
@Suite("Browser sign-in with PKCE against the emulator")
struct BrowserSignInTests {
    let clock = MovableClock(1_795_392_000)
    let emulator: Emulator
    let entra: EntraClient
    let base = "http://127.0.0.1:1"
    let redirectURI = "http://localhost:53117"

    init() {
        let clock = self.clock
        emulator = Emulator(now: { clock.now() })
        entra = EntraClient(
            configuration: EntraConfiguration(authority: base, tenant: "organizations", clientID: "client"),
            transport: emulator, sleeper: NoSleep(), clock: clock)
    }

    /// The browser's visit: the redirect's query, by name.
    func visit(_ url: String) throws -> [String: String] {
        let answer = emulator.handle(HTTPRequest(method: "GET", url: url))
        #expect(answer.status == 302)
        let location = try #require(answer.headers["Location"])
        // Without a path, the redirect URI comes back with one, as Entra sends it.
        #expect(location.hasPrefix(redirectURI + "/?"))
        let query = try #require(URLComponents(string: location)?.queryItems)
        return Dictionary(query.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    @Test("the code comes back with the state, is redeemed once with the verifier, and its token lists PATs")
    func success() async throws {
        let signIn = entra.startBrowserSignIn(redirectURI: redirectURI)
        let url = try #require(URLComponents(string: signIn.url))
        let sent = Dictionary(uniqueKeysWithValues: (url.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(sent["code_challenge_method"] == "S256")
        #expect(sent["redirect_uri"] == redirectURI)
        #expect(sent["code_challenge"] != nil && sent["code_verifier"] == nil)
        #expect((sent["state"] ?? "").count >= 32)

        let redirect = try visit(signIn.url)
        #expect(redirect["state"] == signIn.state)
        let code = Secret(try #require(redirect["code"]))
        let tokens = try await entra.finishBrowserSignIn(signIn, code: code)
        #expect(tokens.refreshToken != nil)
        let client = PATClient(
            organization: "contoso", accessToken: tokens.accessToken, transport: emulator, sleeper: NoSleep(),
            baseURL: base)
        #expect(try await client.list().isEmpty)

        await #expect(throws: EntraError.service(
            code: "invalid_grant", description: "AADSTS54005: OAuth2 Authorization code was already redeemed."))
        {
            try await entra.finishBrowserSignIn(signIn, code: code)
        }
    }

    @Test("a code is refused with another sign-in's verifier, and after ten minutes")
    func verifierAndExpiry() async throws {
        let first = entra.startBrowserSignIn(redirectURI: redirectURI)
        let second = entra.startBrowserSignIn(redirectURI: redirectURI)
        let code = Secret(try #require(try visit(first.url)["code"]))
        await #expect(throws: EntraError.service(
            code: "invalid_grant",
            description: "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request."))
        {
            try await entra.finishBrowserSignIn(second, code: code)
        }

        let late = entra.startBrowserSignIn(redirectURI: redirectURI)
        let lateCode = Secret(try #require(try visit(late.url)["code"]))
        clock.advance(seconds: 601)
        await #expect(throws: EntraError.service(
            code: "invalid_grant", description: "AADSTS70008: The provided authorization code has expired."))
        {
            try await entra.finishBrowserSignIn(late, code: lateCode)
        }
    }

    @Test("a denied consent and a missing consent come back as OAuth errors with the state")
    func refusals() throws {
        for (mode, error) in [("deny", "access_denied"), ("consent-required", "consent_required")] {
            #expect(emulator.handle(HTTPRequest(method: "POST", url: "\(base)/_emulator/authorize?mode=\(mode)")).status
                == 200)
            let signIn = entra.startBrowserSignIn(redirectURI: redirectURI)
            let redirect = try visit(signIn.url)
            #expect(redirect["error"] == error)
            #expect(redirect["state"] == signIn.state)
            #expect(redirect["code"] == nil)
        }
    }

    @Test("no redirect without an S256 challenge, or to a redirect URI that is not loopback http")
    func badRequests() throws {
        let signIn = entra.startBrowserSignIn(redirectURI: redirectURI)
        for url in [
            signIn.url.replacingOccurrences(of: "code_challenge_method=S256", with: "code_challenge_method=plain"),
            signIn.url.replacingOccurrences(of: "code_challenge=", with: "ignored="),
            entra.startBrowserSignIn(redirectURI: "https://evil.example/").url,
        ] {
            let answer = emulator.handle(HTTPRequest(method: "GET", url: url))
            #expect(answer.status == 400)
            #expect(answer.headers["Location"] == nil)
            #expect(String(decoding: answer.body, as: UTF8.self).contains("AADSTS"))
        }
    }
}
