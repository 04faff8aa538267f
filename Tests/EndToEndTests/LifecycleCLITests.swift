import AzdoCredential
import AzdoKeyring
import AzdoTestSupport
import Foundation
import Testing

/// The `login` and `pat` commands of the built executable against the emulator, with the
/// real keyring and real git.
@Suite("login and pat commands against the emulator", .privateKeyring)
struct LifecycleCLITests {
    @Test("login by device code, pat create, silent clone and push, list, extend, revoke")
    func fullLifecycle() async throws {
        let organization = uniqueOrganization("cli")
        let repository = "\(organization)/web/_git/site"
        let server = try EmulatorProcess(repositories: [repository])
        let sandbox = try GitSandbox(extraHosts: ["http://\(server.host)"])
        var environment = sandbox.environment
        environment["GIT_CREDENTIAL_AZDO_AUTHORITY"] = server.baseURL
        environment["GIT_CREDENTIAL_AZDO_API_URL"] = server.baseURL
        environment["GIT_CREDENTIAL_AZDO_TENANT"] = uniqueOrganization("tenant")

        // login: wait for the device-code message on stderr, then approve as the user would.
        let login = Process()
        login.executableURL = TestPaths.helper
        login.arguments = ["login"]
        login.environment = environment
        let stderr = Pipe()
        login.standardError = stderr
        login.standardOutput = FileHandle.nullDevice
        login.standardInput = FileHandle.nullDevice
        try login.run()
        var message = ""
        while !message.contains("enter the code "), login.isRunning || !message.isEmpty {
            let chunk = stderr.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            message += String(decoding: chunk, as: UTF8.self)
        }
        let marker = try #require(message.range(of: "enter the code "))
        let code = String(message[marker.upperBound...].prefix { !$0.isWhitespace })
        #expect(code.count == 8)
        let approve = try ProcessRunner.run(
            command: "python3",
            ["-c", "import urllib.request,sys; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method='POST'))",
             "\(server.baseURL)/_emulator/approve?user_code=\(code)"])
        #expect(approve.status == 0, "\(approve.standardError)")
        login.waitUntilExit()
        #expect(login.terminationStatus == 0)
        let rest = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect((message + rest).contains("signed in"))

        func cli(_ arguments: [String]) throws -> ProcessResult {
            try ProcessRunner.run(TestPaths.helper, arguments, environment: environment)
        }
        let create = try cli(["pat", "create", "--org", organization, "--days", "7"])
        #expect(create.status == 0, "\(create.standardError)")
        #expect(create.standardOutput.contains("created 'git-credential-azdo on "))

        let clone = try sandbox.git(["clone", "-q", "http://\(server.host)/\(repository)", "work"])
        #expect(clone.status == 0, "\(clone.standardError)")
        let work = sandbox.home.appendingPathComponent("work")
        #expect(try sandbox.git(["commit", "-q", "--allow-empty", "-m", "hi"], in: work).status == 0)
        #expect(try sandbox.git(["push", "-q", "origin", "HEAD:main"], in: work).status == 0)
        #expect(sandbox.promptCount == 0)

        let list = try cli(["pat", "list", "--org", organization, "--json"])
        #expect(list.status == 0)
        #expect(list.standardOutput.contains("\"usedByGit\" : true"))

        let extend = try cli(["pat", "extend", "--org", organization, "--days", "30"])
        #expect(extend.status == 0, "\(extend.standardError)")
        let items = try SecretServiceStore(timeoutMilliseconds: 5_000)
            .credentials(server: server.baseURL, organization: organization)
        let validTo = try #require(items.first?.credential.metadata.validTo)
        #expect(items.count == 1)
        #expect(validTo > Int64(Date().timeIntervalSince1970) + 29 * 86_400)

        let revoke = try cli(["pat", "revoke", "--org", organization])
        #expect(revoke.status == 0, "\(revoke.standardError)")
        #expect(try SecretServiceStore(timeoutMilliseconds: 5_000)
            .credentials(server: server.baseURL, organization: organization).isEmpty)
        let fetch = try sandbox.git(["fetch", "-q"], in: work)
        #expect(fetch.status != 0)
    }

    @Test("pat commands without a sign-in fail with one line naming `login`")
    func notSignedIn() throws {
        let server = try EmulatorProcess(repositories: [])
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CREDENTIAL_AZDO_AUTHORITY"] = server.baseURL
        environment["GIT_CREDENTIAL_AZDO_API_URL"] = server.baseURL
        environment["GIT_CREDENTIAL_AZDO_TENANT"] = uniqueOrganization("nobody")
        let result = try ProcessRunner.run(TestPaths.helper, ["pat", "list", "--org", "contoso"], environment: environment)
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines == ["git-credential-azdo: not signed in to Microsoft Entra; run `git credential-azdo login`"])
    }
}
