import AzdoCredential
import AzdoKeyring
import AzdoTestSupport
import Foundation
import Testing

/// Real git against a loopback smart-HTTP server that wants Basic auth, with the helper
/// configured as credential.helper and the PATs in the private session keyring.
@Suite("git clone, fetch and push through the helper", .privateKeyring)
struct GitCloneTests {
    /// A new organization's repository on a git server that accepts `pat-ORG` for it, and a
    /// git sandbox that trusts the server.
    func oneRepository(_ label: String, useHttpPath: Bool = true) async throws
        -> (organization: String, repository: String, server: GitServer, sandbox: GitSandbox)
    {
        let organization = uniqueOrganization(label)
        let repository = "\(organization)/web/_git/site"
        let server = try GitServer(repositories: [repository])
        let sandbox = try GitSandbox(extraHosts: ["http://\(server.host)"], useHttpPath: useHttpPath)
        try await server.setToken("pat-\(organization)", for: organization)
        return (organization, repository, server, sandbox)
    }

    @Test("the first clone prompts and stores; the next clone and a push are silent")
    func promptOnceThenSilent() async throws {
        let (organization, repository, server, sandbox) = try await oneRepository("clone")
        try sandbox.answerPrompts(username: organization, password: "pat-\(organization)")

        let first = try sandbox.git(["clone", "-q", server.url(repository), "first"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(sandbox.promptCount == 2)

        let second = try sandbox.git(["clone", "-q", server.url(repository), "second"])
        #expect(second.status == 0, "\(second.standardError)")
        #expect(sandbox.promptCount == 2)

        let work = sandbox.home.appendingPathComponent("second")
        #expect(try sandbox.git(["commit", "-q", "--allow-empty", "-m", "hello"], in: work).status == 0)
        let push = try sandbox.git(["push", "-q", "origin", "HEAD:main"], in: work)
        #expect(push.status == 0, "\(push.standardError)")
        #expect(sandbox.promptCount == 2)
        let log = try sandbox.git(["log", "--format=%s", "origin/main"], in: work)
        #expect(log.standardOutput == "hello\n")

        let fill = try sandbox.git(
            ["credential", "fill"], input: "protocol=http\nhost=\(server.host)\npath=\(repository)\n\n")
        #expect(fill.standardOutput.contains("password=pat-\(organization)\n"))
    }

    /// git itself never sends a password with an empty username over HTTP (http.c treats it
    /// as no credentials), so a clone after Enter at the username prompt fails whatever the
    /// helper; `git credential approve` still hands such a credential to `store`.
    @Test("a credential with a blank username is stored as the organization's default, and the next clone is silent")
    func blankUsername() async throws {
        let (organization, repository, server, sandbox) = try await oneRepository("blank")
        let approve = try sandbox.git(
            ["credential", "approve"],
            input: "protocol=http\nhost=\(server.host)\npath=\(repository)\nusername=\npassword=pat-\(organization)\n\n")
        #expect(approve.status == 0 && approve.standardError.isEmpty, "\(approve.standardError)")
        let items = try SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)
            .credentials(server: "http://\(server.host)", organization: organization)
        #expect(items.map(\.credential.username) == [organization])

        let clone = try sandbox.git(["clone", "-q", server.url(repository), "work"])
        #expect(clone.status == 0, "\(clone.standardError)")
        #expect(sandbox.promptCount == 0)
    }

    @Test("a PAT the server rejects makes git erase it, so it is gone from the keyring")
    func rejectedPATIsErased() async throws {
        let organization = uniqueOrganization("reject")
        let repository = "\(organization)/web/_git/site"
        let server = try GitServer(repositories: [repository])
        let sandbox = try GitSandbox(extraHosts: ["http://\(server.host)"])
        try await server.setToken("pat-old", for: organization)
        try sandbox.answerPrompts(username: organization, password: "pat-old")
        #expect(try sandbox.git(["clone", "-q", server.url(repository), "work"]).status == 0)

        try await server.setToken("pat-new", for: organization)
        let work = sandbox.home.appendingPathComponent("work")
        let fetch = try sandbox.git(["-c", "core.askPass=false", "fetch", "-q"], in: work)
        #expect(fetch.status != 0)
        #expect(fetch.standardError.contains("Authentication failed"))

        let items = try SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)
            .credentials(server: "http://\(server.host)", organization: organization)
        #expect(items.isEmpty)
        let get = try sandbox.helper("get", "protocol=http\nhost=\(server.host)\npath=\(repository)\n\n")
        #expect(get.standardOutput.isEmpty)
    }

    @Test("one organization's PAT is never sent to another organization")
    func organizationsStayApart() async throws {
        let first = uniqueOrganization("orga")
        let second = uniqueOrganization("orgb")
        let server = try GitServer(repositories: ["\(first)/p/_git/r", "\(second)/p/_git/r"])
        let sandbox = try GitSandbox(extraHosts: ["http://\(server.host)"])
        try await server.setToken("pat-a-\(first)", for: first)
        try await server.setToken("pat-b-\(second)", for: second)
        try sandbox.answerPrompts(username: first, password: "pat-a-\(first)")
        #expect(try sandbox.git(["clone", "-q", server.url("\(first)/p/_git/r"), "a"]).status == 0)
        #expect(sandbox.promptCount == 2)

        try sandbox.answerPrompts(username: second, password: "pat-b-\(second)")
        let clone = try sandbox.git(["clone", "-q", server.url("\(second)/p/_git/r"), "b"])
        #expect(clone.status == 0, "\(clone.standardError)")
        #expect(sandbox.promptCount == 4, "the second organization needs its own PAT")
        let leaked = await server.authLog().filter { $0.contains("path-org=\(second) token-org=\(first)") }
        #expect(leaked.isEmpty, "\(leaked)")
        #expect(await server.authLog().contains { $0.contains("result=ok path-org=\(second) token-org=\(second)") })

        let again = try sandbox.git(["clone", "-q", server.url("\(first)/p/_git/r"), "a2"])
        #expect(again.status == 0)
        #expect(sandbox.promptCount == 4)
    }

    @Test("without useHttpPath the organization comes from the user name in the URL")
    func organizationFromUserName() async throws {
        let (organization, repository, server, sandbox) = try await oneRepository("userinfo", useHttpPath: false)
        try sandbox.answerPrompts(username: organization, password: "pat-\(organization)")
        let url = server.url(repository, user: organization)
        #expect(try sandbox.git(["clone", "-q", url, "first"]).status == 0)
        #expect(sandbox.promptCount == 1, "git asks only for the password when the URL names the user")
        #expect(try sandbox.git(["clone", "-q", url, "second"]).status == 0)
        #expect(sandbox.promptCount == 1)
    }
}
