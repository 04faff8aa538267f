import AzdoAPI
import AzdoCredential
import AzdoHTTP
import AzdoTestSupport
import Foundation
import Testing

let deviceCodeAnswer = entra(200, """
    {"device_code":"DEVICE-SECRET","user_code":"ABCD1234","verification_uri":"https://login.example.test/link",
     "expires_in":30,"interval":5,"message":"To sign in, open https://login.example.test/link and enter ABCD1234"}
    """)
let tokenAnswer = entra(200, """
    {"token_type":"Bearer","expires_in":3599,"access_token":"ACCESS-1","refresh_token":"REFRESH-2"}
    """)

@Suite("Microsoft Entra sign-in")
struct EntraClientTests {
    let sleeper = RecordingSleeper()
    let configuration = EntraConfiguration(
        authority: "https://login.example.test", tenant: "organizations",
        clientID: "872cd9fa-d31f-45e0-9eab-6e460a02d1f1")

    func client(_ transport: ScriptedTransport) -> EntraClient {
        EntraClient(configuration: configuration, transport: transport, sleeper: sleeper, clock: FixedClock(0))
    }

    @Test("device code: pending, slow_down, then tokens; intervals follow RFC 8628")
    func deviceCodeFlow() async throws {
        let transport = ScriptedTransport([
            deviceCodeAnswer, entra(400, #"{"error":"authorization_pending"}"#), entra(400, #"{"error":"slow_down"}"#),
            tokenAnswer,
        ])
        let entra = client(transport)
        let challenge = try await entra.startDeviceCode()
        #expect(challenge.userCode == "ABCD1234")
        #expect(challenge.message.contains("ABCD1234"))
        let tokens = try await entra.waitForSignIn(challenge)
        #expect(tokens.accessToken == Secret("ACCESS-1"))
        #expect(tokens.refreshToken == Secret("REFRESH-2"))
        #expect(sleeper.recorded == [5, 5, 10])

        let start = transport.sent[0]
        #expect(start.url == "https://login.example.test/organizations/oauth2/v2.0/devicecode")
        let startForm = String(decoding: try #require(start.body), as: UTF8.self)
        #expect(startForm.contains("scope=499b84ac-1321-427f-aa17-267ca6975798%2F.default%20offline_access"))
        let poll = String(decoding: try #require(transport.sent[1].body), as: UTF8.self)
        #expect(poll.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"))
        #expect(poll.contains("device_code=DEVICE-SECRET"))
        #expect(!"\(challenge)".contains("DEVICE-SECRET"))
    }

    @Test("declined and expired codes stop polling with their own errors")
    func declinedAndExpired() async throws {
        let declined = ScriptedTransport([deviceCodeAnswer, entra(400, #"{"error":"authorization_declined"}"#)])
        let first = try await client(declined).startDeviceCode()
        await #expect(throws: EntraError.declined) { try await client(declined).waitForSignIn(first) }

        let expired = ScriptedTransport([deviceCodeAnswer, entra(400, #"{"error":"expired_token"}"#)])
        let second = try await client(expired).startDeviceCode()
        await #expect(throws: EntraError.expired) { try await client(expired).waitForSignIn(second) }
    }

    @Test("polling gives up when the code's lifetime has passed")
    func givesUpAtExpiry() async throws {
        let pending = entra(400, #"{"error":"authorization_pending"}"#)
        let transport = ScriptedTransport([deviceCodeAnswer] + Array(repeating: pending, count: 20))
        let challenge = try await client(transport).startDeviceCode()
        await #expect(throws: EntraError.expired) { try await client(transport).waitForSignIn(challenge) }
        #expect(sleeper.recorded == [5, 5, 5, 5, 5, 5])
    }

    @Test("slow answers count against the code's lifetime: polling stops when it has passed by the clock")
    func slowAnswersCount() async throws {
        let pending = entra(400, #"{"error":"authorization_pending"}"#)
        let clock = MovableClock(1_000)
        // Each answer takes 12 s; the code lives 30 s and the interval is 5 s.
        let transport = SlowTransport(ScriptedTransport([deviceCodeAnswer] + Array(repeating: pending, count: 20)), clock)
        let client = EntraClient(configuration: configuration, transport: transport, sleeper: sleeper, clock: clock)
        let challenge = try await client.startDeviceCode()
        await #expect(throws: EntraError.expired) { try await client.waitForSignIn(challenge) }
        // Polls after 5 s, 12 s (5 + one answer) and 24 s; 36 s have passed before a fourth.
        #expect(transport.inner.sent.count == 1 + 3)
        #expect(sleeper.recorded == [5, 5, 5, 5])
    }

    @Test("refresh returns the rotated refresh token; invalid_grant asks for a new sign-in")
    func refresh() async throws {
        let transport = ScriptedTransport([
            tokenAnswer,
            entra(400, #"{"error":"invalid_grant","error_description":"AADSTS700082: expired due to inactivity"}"#),
        ])
        let tokens = try await client(transport).refresh(Secret("REFRESH-1"))
        #expect(tokens.refreshToken == Secret("REFRESH-2"))
        let form = String(decoding: try #require(transport.sent[0].body), as: UTF8.self)
        #expect(form.contains("grant_type=refresh_token") && form.contains("refresh_token=REFRESH-1"))
        await #expect(throws: EntraError.signInRequired(code: "invalid_grant")) {
            try await client(transport).refresh(Secret("REFRESH-2"))
        }
    }

    @Test("non-JSON answers and transport failures are typed errors")
    func failures() async throws {
        let html = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data("<html>".utf8)))])
        await #expect(throws: EntraError.malformedResponse) { try await client(html).refresh(Secret("r")) }
        let down = ScriptedTransport([.failure(.timedOut)])
        await #expect(throws: EntraError.transport(.timedOut)) { try await client(down).startDeviceCode() }
    }
}

/// Moves `clock` 12 s forward during each request, as a slow network would.
struct SlowTransport: HTTPTransport {
    let inner: ScriptedTransport
    let clock: MovableClock

    init(_ inner: ScriptedTransport, _ clock: MovableClock) {
        self.inner = inner
        self.clock = clock
    }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        defer { clock.advance(seconds: 12) }
        return try await inner.send(request)
    }
}
