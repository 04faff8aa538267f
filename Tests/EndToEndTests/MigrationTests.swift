import AzdoCredential
import AzdoKeyring
import AzdoTestSupport
import Foundation
import Testing

/// `import --from gcm|libsecret` with a keyring pre-filled the way Git Credential Manager's
/// `secretservice` store and git's `git-credential-libsecret` fill it (protocols.md 5.3).
@Suite("import from Git Credential Manager and git's libsecret helper", .privateKeyring, .serialized)
struct MigrationTests {
    func storeForeign(_ secret: String, _ attributes: [String]) throws {
        let result = try ProcessRunner.run(command: "secret-tool", ["store", "--label=test"] + attributes, input: secret)
        #expect(result.status == 0, "\(result.standardError)")
    }

    func foreignCount(_ schema: String) throws -> Int {
        try ProcessRunner.run(command: "secret-tool", ["search", "--all", "xdg:schema", schema])
            .standardOutput.split(separator: "\n").filter { $0.hasPrefix("label = ") }.count
    }

    @Test("Azure DevOps PATs are copied with their account and expiry; other hosts and access tokens are skipped; originals stay")
    func importsBoth() throws {
        let gcmOrg = uniqueOrganization("gcm"), libsecretOrg = uniqueOrganization("libsecret")
        let tokenOrg = uniqueOrganization("oauth")
        try storeForeign("gcm-pat-\(gcmOrg)", [
            "xdg:schema", "com.microsoft.GitCredentialManager", "service", "git:https://dev.azure.com/\(gcmOrg)",
            "account", "alice",
        ])
        try storeForeign("eyJ0eXAiOiJKV1QifQ.access-token", [
            "xdg:schema", "com.microsoft.GitCredentialManager", "service", "git:https://dev.azure.com/\(tokenOrg)",
            "account", "alice",
        ])
        try storeForeign("libsecret-pat-\(libsecretOrg)\npassword_expiry_utc=4102444800\noauth_refresh_token=xyzzy", [
            "xdg:schema", "org.git.Password", "protocol", "https", "server", "\(libsecretOrg).visualstudio.com",
            "object", "p/_git/r", "user", "bob",
        ])
        try storeForeign("github-token", [
            "xdg:schema", "org.git.Password", "protocol", "https", "server", "github.com", "user", "bob",
        ])
        let sandbox = try GitSandbox(extraHosts: [])
        let gcmBefore = try foreignCount("com.microsoft.GitCredentialManager")
        let libsecretBefore = try foreignCount("org.git.Password")

        let gcm = try ProcessRunner.run(TestPaths.helper, ["import", "--from", "gcm"], environment: sandbox.environment)
        #expect(gcm.status == 0, "\(gcm.standardError)")
        #expect(gcm.standardOutput.contains("imported: \(gcmOrg) (alice)\n"))
        #expect(gcm.errorLines.contains("git-credential-azdo: skipped \(tokenOrg): an Entra access token, not a PAT"))
        let libsecret = try ProcessRunner.run(TestPaths.helper, ["import", "--from", "libsecret"], environment: sandbox.environment)
        #expect(libsecret.status == 0, "\(libsecret.standardError)")
        #expect(libsecret.standardOutput.contains("imported: \(libsecretOrg) (bob)\n"))
        #expect(libsecret.errorLines.contains("git-credential-azdo: skipped github.com: not Azure DevOps"))

        let store = SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)
        let fromGCM = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: gcmOrg)
        #expect(fromGCM.map(\.credential.secret) == [Secret("gcm-pat-\(gcmOrg)")])
        #expect(fromGCM.first?.credential.username == "alice" && fromGCM.first?.credential.metadata.source == .imported)
        #expect(try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: tokenOrg).isEmpty)
        let get = try sandbox.helper(
            "get", "protocol=https\nhost=\(libsecretOrg).visualstudio.com\npath=p/_git/r\nusername=bob\n\n")
        #expect(get.standardOutput
            == "username=bob\npassword=libsecret-pat-\(libsecretOrg)\npassword_expiry_utc=4102444800\noauth_refresh_token=xyzzy\n")

        #expect(try foreignCount("com.microsoft.GitCredentialManager") == gcmBefore, "the originals stay")
        #expect(try foreignCount("org.git.Password") == libsecretBefore)
        let again = try ProcessRunner.run(TestPaths.helper, ["import", "--from", "gcm"], environment: sandbox.environment)
        #expect(!again.standardOutput.contains("imported: "))
        #expect(again.standardOutput.contains("already stored: "))
    }

    @Test("an unknown source is refused with the choices")
    func unknownSource() throws {
        let result = try ProcessRunner.run(TestPaths.helper, ["import", "--from", "keepass"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("gcm") && result.standardError.contains("libsecret"))
    }
}
