import AzdoAPI
import AzdoCredential
import AzdoHTTP
import AzdoNetwork
import AzdoSystem
import AzdoTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("The emulator over loopback HTTP, through the real transport")
struct EmulatorServerTests {
    @Test("device-code sign-in, PAT create, connectionData with the PAT, revoke")
    func overHTTP() async throws {
        let server = try EmulatorProcess(repositories: [])
        let transport = CurlTransport(environment: [:], timeoutSeconds: 10)
        let tokens = try await signIn(server, transport)

        let client = PATClient(
            organization: "contoso", accessToken: tokens.accessToken, transport: transport, sleeper: TaskSleeper(),
            baseURL: server.baseURL)
        let created = try await client.create(PATCreateRequest(
            displayName: "git-credential-azdo on test", scope: "vso.code_write",
            validTo: Date().addingTimeInterval(7 * 86_400)))
        let secret = try #require(created.token)
        let basic = Data(":\(secret.value)".utf8).base64EncodedString()
        let check = try await transport.send(HTTPRequest(
            method: "GET", url: "\(server.baseURL)/contoso/_apis/connectionData",
            headers: ["Authorization": "Basic \(basic)"]))
        #expect(check.status == 200)

        try await client.revoke(authorizationID: created.authorizationID)
        let after = try await transport.send(HTTPRequest(
            method: "GET", url: "\(server.baseURL)/contoso/_apis/connectionData",
            headers: ["Authorization": "Basic \(basic)"]))
        #expect(after.status == 401)
    }

    @Test("a redirect comes back as it was sent: the token never follows it to another host")
    func redirectNotFollowed() async throws {
        let server = try EmulatorProcess(repositories: [])
        let transport = CurlTransport(environment: [:], timeoutSeconds: 10)
        let request = try await patList(server, transport, fault: "kind=sign-in-redirect")
        let answer = try await transport.send(request)
        #expect(answer.status == 302)
        let location = try #require(answer.headers["Location"])
        #expect(location.hasPrefix("https://app.vssps.visualstudio.com/_signin?"))
    }

    @Test("HTTPS_PROXY carries every request to the proxy; NO_PROXY hosts go direct")
    func proxy() async throws {
        let server = try EmulatorProcess(repositories: [])
        // Nothing listens on the discard port, so only the proxy (the emulator) can answer.
        let request = HTTPRequest(method: "GET", url: "http://127.0.0.1:9/_emulator/pats?org=nobody")
        let proxied = try await CurlTransport(environment: ["HTTPS_PROXY": server.baseURL], timeoutSeconds: 10)
            .send(request)
        #expect(proxied.status == 200)
        #expect(String(decoding: proxied.body, as: UTF8.self).contains("active"))
        let bypassing = CurlTransport(
            environment: ["https_proxy": server.baseURL, "no_proxy": "example.org,127.0.0.1"], timeoutSeconds: 10)
        await #expect(throws: TransportError.self) { try await bypassing.send(request) }
    }

    @Test("cancelling the task stops a request the server holds back")
    func cancellation() async throws {
        let server = try EmulatorProcess(repositories: [])
        let transport = CurlTransport(environment: [:], timeoutSeconds: 120)
        let request = try await patList(server, transport, fault: "kind=slow&seconds=60")
        let sending = Task { try await transport.send(request) }
        sending.cancel()
        await #expect(throws: TransportError.connectionFailed(detail: "cancelled")) { try await sending.value }
    }

    @Test("plain http is refused off loopback, before any connection")
    func plainHTTPRefused() async throws {
        let transport = CurlTransport(environment: [:], timeoutSeconds: 2)
        await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(method: "GET", url: "http://dev.azure.test/contoso"))
        }
    }

    @Test("a port where nothing listens is a connection failure, not a hang")
    func nothingListening() async throws {
        let transport = CurlTransport(environment: [:], timeoutSeconds: 2)
        await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:9/"))
        }
    }

    /// A signed-in PAT list request for `server`, whose next PAT API answer has `fault`.
    private func patList(_ server: EmulatorProcess, _ transport: CurlTransport, fault: String) async throws
        -> HTTPRequest
    {
        let tokens = try await signIn(server, transport)
        #expect(try await server.control("POST", "fault?\(fault)").status == 200)
        return HTTPRequest(
            method: "GET", url: "\(server.baseURL)/contoso/_apis/tokens/pats?api-version=7.1-preview.1",
            headers: ["Authorization": "Bearer \(tokens.accessToken.value)"])
    }

    /// Signs in by device code, approved through the control endpoint.
    private func signIn(_ server: EmulatorProcess, _ transport: CurlTransport) async throws -> EntraTokens {
        let configuration = EntraConfiguration(authority: server.baseURL, tenant: "organizations", clientID: "client")
        let entra = EntraClient(configuration: configuration, transport: transport, sleeper: TaskSleeper(), clock: SystemClock())
        let challenge = try await entra.startDeviceCode()
        let approved = try await transport.send(HTTPRequest(
            method: "POST", url: "\(server.baseURL)/_emulator/approve?user_code=\(challenge.userCode)"))
        #expect(approved.status == 200)
        return try await entra.waitForSignIn(challenge)
    }
}
