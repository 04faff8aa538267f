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
        let transport = AsyncHTTPTransport(environment: [:], timeoutSeconds: 10)
        let configuration = EntraConfiguration(authority: server.baseURL, tenant: "organizations", clientID: "client")
        let entra = EntraClient(configuration: configuration, transport: transport, sleeper: TaskSleeper(), clock: SystemClock())
        let challenge = try await entra.startDeviceCode()
        let approved = try await transport.send(HTTPRequest(
            method: "POST", url: "\(server.baseURL)/_emulator/approve?user_code=\(challenge.userCode)"))
        #expect(approved.status == 200)
        let tokens = try await entra.waitForSignIn(challenge)

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

    @Test("plain http is refused off loopback, before any connection")
    func plainHTTPRefused() async throws {
        let transport = AsyncHTTPTransport(environment: [:], timeoutSeconds: 2)
        await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(method: "GET", url: "http://dev.azure.test/contoso"))
        }
    }

    @Test("a port where nothing listens is a connection failure, not a hang")
    func nothingListening() async throws {
        let transport = AsyncHTTPTransport(environment: [:], timeoutSeconds: 2)
        await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:9/"))
        }
    }
}
