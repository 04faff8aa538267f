import AzdoAPI
import AzdoCredential
import AzdoHTTP
import AzdoKeyring
import AzdoLifecycle
import AzdoNetwork
import AzdoSystem
import AzdoTestSupport
import Foundation
import Testing

/// Real git, the real keyring and the helper against the emulator's git smart HTTP, with
/// PATs created through the emulator's PAT API by the PAT manager.
@Suite("git against the emulator with PATs from the PAT API", .privateKeyring)
struct EmulatorGitTests {
    @Test("a created PAT clones and pushes with no prompt; a read-only PAT cannot push; revoked, git erases it")
    func createdPATWorksUntilRevoked() async throws {
        let organization = uniqueOrganization("emu")
        let repository = "\(organization)/web/_git/site"
        let server = try EmulatorProcess(repositories: [repository])
        let sandbox = try GitSandbox(extraHosts: ["http://\(server.host)"])
        let transport = CurlTransport(environment: [:], timeoutSeconds: 10)
        let entra = EntraClient(
            configuration: EntraConfiguration(authority: server.baseURL, tenant: "organizations", clientID: "c"),
            transport: transport, sleeper: TaskSleeper(), clock: SystemClock())
        let challenge = try await entra.startDeviceCode()
        _ = try await transport.send(HTTPRequest(
            method: "POST", url: "\(server.baseURL)/_emulator/approve?user_code=\(challenge.userCode)"))
        let client = PATClient(
            organization: organization, accessToken: try await entra.waitForSignIn(challenge).accessToken,
            transport: transport, sleeper: TaskSleeper(), baseURL: server.baseURL)
        let keyring = SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)
        let journal = FileRotationJournal(directory: try TestPaths.temporaryDirectory("journal").path)
        let manager = PATManager(store: keyring, journal: journal, clock: SystemClock(), server: "http://\(server.host)")

        let readOnly = try await manager.create(
            organization: organization, client: client, displayName: "read only", scopes: ["vso.code"], days: 7,
            username: organization)
        let clone = try sandbox.git(["clone", "-q", "http://\(server.host)/\(repository)", "work"])
        #expect(clone.status == 0, "\(clone.standardError)")
        #expect(sandbox.promptCount == 0)
        let work = sandbox.home.appendingPathComponent("work")
        #expect(try sandbox.git(["commit", "-q", "--allow-empty", "-m", "one"], in: work).status == 0)
        let refused = try sandbox.git(["push", "-q", "origin", "HEAD:main"], in: work)
        #expect(refused.status != 0, "a vso.code PAT must not push")
        #expect(try keyring.credentials(server: "http://\(server.host)", organization: organization).isEmpty,
            "git erased the PAT the server rejected")

        let writer = try await manager.create(
            organization: organization, client: client, displayName: "writer", scopes: ["vso.code_write"], days: 7,
            username: organization)
        let push = try sandbox.git(["push", "-q", "origin", "HEAD:main"], in: work)
        #expect(push.status == 0, "\(push.standardError)")
        #expect(sandbox.promptCount == 0)
        let get = try sandbox.helper("get", "protocol=http\nhost=\(server.host)\npath=\(repository)\n\n")
        #expect(get.standardOutput.contains("password_expiry_utc=\(writer.metadata.validTo ?? 0)\n"))

        try await manager.revoke(organization: organization, client: client)
        #expect(try keyring.credentials(server: "http://\(server.host)", organization: organization).isEmpty)
        let after = try sandbox.git(["fetch", "-q"], in: work)
        #expect(after.status != 0)
        #expect(readOnly.metadata.authorizationID != writer.metadata.authorizationID)
    }
}
