import AzdoAPI
import AzdoCredential
import AzdoHTTP
import AzdoTestSupport
import Foundation
import Synchronization
import Testing

@Suite("Access tokens for the PAT API")
struct AccessTokenSourceTests {
    let configuration = EntraConfiguration(authority: "https://login.example.test", tenant: "t", clientID: "c")

    @Test("the stored refresh token is exchanged, and the rotated one is stored")
    func refreshRotates() async throws {
        let store = MemoryRefreshTokenStore()
        try store.saveRefreshToken(StoredRefreshToken(
            authority: configuration.authority, tenant: "t", clientID: "c", token: Secret("REFRESH-1"), storedAt: 1))
        let transport = ScriptedTransport([tokenAnswer])
        let session = RefreshTokenSession(
            configuration: configuration, store: store,
            client: EntraClient(
                configuration: configuration, transport: transport, sleeper: RecordingSleeper(), clock: FixedClock(0)),
            clock: FixedClock(500))
        #expect(try await session.accessToken() == EntraAccessToken(token: Secret("ACCESS-1"), expiresAt: 500 + 3599))
        #expect(store.saved.last?.token == Secret("REFRESH-2"))
        #expect(store.saved.last?.storedAt == 500)
        #expect(transport.sent.first?.url == "https://login.example.test/t/oauth2/v2.0/token")
    }

    @Test("no stored refresh token means not signed in, without a network call")
    func notSignedIn() async throws {
        let transport = ScriptedTransport([])
        let session = RefreshTokenSession(
            configuration: configuration, store: MemoryRefreshTokenStore(),
            client: EntraClient(
                configuration: configuration, transport: transport, sleeper: RecordingSleeper(), clock: FixedClock(0)),
            clock: FixedClock(0))
        await #expect(throws: SignInError.notSignedIn) { try await session.accessToken() }
        #expect(transport.sent.isEmpty)
    }

    @Test("the Azure CLI's token is read from its JSON on stdout; its failure is a typed error")
    func azureCLI() async throws {
        let directory = try TestPaths.temporaryDirectory("fake-az")
        let az = directory.appendingPathComponent("az")
        try """
            #!/bin/sh
            echo "$@" > "\(directory.path)/args"
            if [ "$6" != json ]; then exit 3; fi
            echo '{"accessToken":"AZ-TOKEN","expiresOn":"2026-11-23 11:02:03.000000","expires_on":1795395723,"tenant":"t","tokenType":"Bearer"}'
            """.write(to: az, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: az.path)
        #expect(try await AzureCLITokenSource(tenant: "contoso.example", executable: az.path).accessToken()
            == EntraAccessToken(token: Secret("AZ-TOKEN"), expiresAt: 1_795_395_723))
        let args = try String(contentsOf: directory.appendingPathComponent("args"), encoding: .utf8)
        #expect(args == "account get-access-token --resource 499b84ac-1321-427f-aa17-267ca6975798 --output json --tenant contoso.example\n")

        try "#!/bin/sh\necho 'Please run az login' >&2\nexit 1\n".write(to: az, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: az.path)
        await #expect(throws: SignInError.self) { try await AzureCLITokenSource(executable: az.path).accessToken() }
    }

    @Test("the account comes from the JWT payload: upn, else preferred_username, else unique_name; nil when not a JWT")
    func account() {
        func jwt(_ payload: String) -> EntraAccessToken {
            let encoded = String(Data(payload.utf8).base64EncodedString().compactMap { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 == "=" ? nil : $0 })
            return EntraAccessToken(token: Secret("eyJhbGciOiJSUzI1NiJ9.\(encoded).c2ln"), expiresAt: nil)
        }
        #expect(jwt(#"{"upn":"ana@contoso.com","preferred_username":"x"}"#).account == "ana@contoso.com")
        #expect(jwt(#"{"preferred_username":"bo@fabrikam.com","unique_name":"y"}"#).account == "bo@fabrikam.com")
        #expect(jwt(#"{"unique_name":"live.com#cy@outlook.com"}"#).account == "live.com#cy@outlook.com")
        // Payload bytes that need base64url's - and _ (and padding) decode too.
        #expect(jwt(#"{"upn":"\#u{FF}\#u{FE}?>@x.example"}"#).account == "\u{FF}\u{FE}?>@x.example")
        #expect(jwt(#"{"aud":"499b84ac"}"#).account == nil)
        #expect(EntraAccessToken(token: Secret("opaque-token"), expiresAt: nil).account == nil)
        #expect(EntraAccessToken(token: Secret("a.%%%.c"), expiresAt: nil).account == nil)
    }
}
