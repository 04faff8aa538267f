import AzdoCredential
import AzdoKeyring
import AzdoTestSupport
import Foundation
import Testing

/// get/store/erase through the built executable against the private session keyring.
@Suite("The helper with the real keyring", .privateKeyring)
struct KeyringHelperTests {
    let store = SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)

    func input(_ organization: String, _ extra: String = "") -> String { credentialRequest(organization, extra) }

    /// The built helper's `action` on a request for `organization` with `extra` lines.
    func helper(_ action: String, _ organization: String, _ extra: String = "") throws -> ProcessResult {
        try ProcessRunner.run(TestPaths.helper, [action], input: input(organization, extra))
    }

    @Test("an expired PAT is never returned; stderr names the organization and the date")
    func expiredIsNeverReturned() throws {
        let organization = uniqueOrganization("expired")
        try store.add(StoredCredential(
            server: RemoteTarget.azureDevOpsServer, organization: organization, username: organization,
            secret: Secret("old-pat"), metadata: PATMetadata(source: .created, storedAt: 1, validTo: 1_767_225_600)))
        let result = try ProcessRunner.run(TestPaths.helper, ["get"], input: input(organization))
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("the PAT stored for \(organization) expired on 2026-01-01"))
    }

    @Test("get reports password_expiry_utc for a PAT whose expiry is known")
    func expiryIsReported() throws {
        let organization = uniqueOrganization("expiry")
        let store = try helper("store", organization, "username=me\npassword=pat-x\npassword_expiry_utc=4102444800\n")
        #expect(store.status == 0)
        #expect(store.standardOutput.isEmpty)
        let get = try helper("get", organization)
        #expect(get.standardOutput == "username=me\npassword=pat-x\npassword_expiry_utc=4102444800\n")
    }

    /// git 2.41+ sends oauth_refresh_token and git's own suite for external helpers
    /// (t/lib-credential.sh, "helper (…) gets oauth_refresh_token") checks it comes back.
    /// Debian 12's git is 2.39, which never sends it, so the protocol is driven directly.
    @Test("oauth_refresh_token is stored with the PAT (in the item's secret, never an attribute) and given back by get")
    func oauthRefreshToken() throws {
        let organization = uniqueOrganization("oauth")
        let stored = try helper("store", organization, "username=user4\npassword=pass\noauth_refresh_token=xyzzy\n")
        #expect(stored.status == 0, "\(stored.standardError)")
        let get = try helper("get", organization, "username=user4\n")
        #expect(get.standardOutput == "username=user4\npassword=pass\noauth_refresh_token=xyzzy\n")

        // As git-credential-libsecret keeps it: the password, then the token on its own line.
        let lookup = try ProcessRunner.secretTool(["lookup", "kind", "pat", "org", organization])
        #expect(lookup.standardOutput == "pass\noauth_refresh_token=xyzzy")
        let attributes = try ProcessRunner.secretTool(["search", "--all", "kind", "pat", "org", organization])
        #expect(!attributes.standardOutput.replacingOccurrences(of: "secret = pass\noauth_refresh_token=xyzzy", with: "")
            .contains("xyzzy"), "the token is in no attribute or label")

        let erase = try helper("erase", organization, "username=user4\npassword=pass\n")
        #expect(erase.status == 0)
        #expect(try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization).isEmpty)
    }

    @Test("lookups and erases work through both paths: the fast client, and libsecret for an address it does not speak")
    func bothBusClients() throws {
        let organization = uniqueOrganization("clients")
        try store.add(StoredCredential(
            server: RemoteTarget.azureDevOpsServer, organization: organization, username: "me", secret: Secret("pat-both"),
            metadata: PATMetadata(source: .typed, storedAt: 1)))
        let expected = "username=me\npassword=pat-both\n"
        var environment = ProcessInfo.processInfo.environment
        let address = try #require(environment["DBUS_SESSION_BUS_ADDRESS"])
        environment["LD_DEBUG"] = "files"
        let wire = try ProcessRunner.run(TestPaths.helper, ["get"], input: input(organization), environment: environment)
        #expect(wire.standardOutput == expected)
        #expect(!wire.standardError.contains("libgio-2.0.so.0"), "the fast client loads no gio")

        // GDBus (under libsecret) tries each entry of an address list; the fast client only
        // speaks a first unix:path= or unix:abstract= entry, so this one goes to libsecret.
        environment["DBUS_SESSION_BUS_ADDRESS"] = "tcp:host=127.0.0.1,port=9;" + address
        let fallback = try ProcessRunner.run(TestPaths.helper, ["get"], input: input(organization), environment: environment)
        #expect(fallback.standardOutput == expected)
        #expect(fallback.standardError.contains("libsecret-1.so.0"), "the fallback went through libsecret")
        let erase = try ProcessRunner.run(TestPaths.helper, ["erase"], input: input(organization), environment: environment)
        #expect(erase.status == 0)
        #expect(try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization).isEmpty)
    }

    @Test("storing the same PAT again is a no-op; a new one replaces it")
    func storeIsIdempotent() throws {
        let organization = uniqueOrganization("idem")
        let line = input(organization, "username=me\npassword=pat-1\n")
        #expect(try ProcessRunner.run(TestPaths.helper, ["store"], input: line).status == 0)
        let before = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
        #expect(try ProcessRunner.run(TestPaths.helper, ["store"], input: line).status == 0)
        let after = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
        #expect(after == before)
        #expect(after.count == 1)

        let replacement = input(organization, "username=me\npassword=pat-2\n")
        #expect(try ProcessRunner.run(TestPaths.helper, ["store"], input: replacement).status == 0)
        let replaced = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
        #expect(replaced.map(\.credential.secret) == [Secret("pat-2")])
    }

    @Test("a stale erase keeps the newer PAT; erase without a password removes the organization's PAT")
    func eraseRules() throws {
        let organization = uniqueOrganization("erase")
        let other = uniqueOrganization("keep")
        for (org, pat) in [(organization, "pat-new"), (other, "pat-other")] {
            #expect(try ProcessRunner.run(
                TestPaths.helper, ["store"], input: input(org, "username=me\npassword=\(pat)\n")).status == 0)
        }
        let stale = try ProcessRunner.run(
            TestPaths.helper, ["erase"], input: input(organization, "username=me\npassword=pat-old\n"))
        #expect(stale.status == 0)
        #expect(try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization).count == 1)

        let manual = try ProcessRunner.run(TestPaths.helper, ["erase"], input: input(organization))
        #expect(manual.status == 0)
        #expect(manual.standardOutput.isEmpty)
        #expect(try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization).isEmpty)
        #expect(try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: other).count == 1)
    }

    @Test("every Azure DevOps URL form of one organization finds the same PAT")
    func urlFormsShareOnePAT() throws {
        let organization = uniqueOrganization("forms")
        #expect(try ProcessRunner.run(
            TestPaths.helper, ["store"], input: input(organization, "username=me\npassword=pat-forms\n")).status == 0)
        let forms = [
            "protocol=https\nhost=dev.azure.com\nusername=\(organization)\n",
            "protocol=https\nhost=\(organization).visualstudio.com\npath=DefaultCollection/p/_git/r\n",
            "protocol=https\nhost=DEV.AZURE.COM\npath=\(organization.uppercased())/p/_git/r\n",
            "url=https://\(organization)@dev.azure.com/\(organization)/p/_git/r\n",
        ]
        for form in forms {
            let get = try ProcessRunner.run(TestPaths.helper, ["get"], input: form + "\n")
            #expect(get.standardOutput.contains("password=pat-forms\n"), "\(form)")
        }
        let insecure = try ProcessRunner.run(
            TestPaths.helper, ["get"], input: "protocol=http\nhost=dev.azure.com\npath=\(organization)/p\n\n")
        #expect(insecure.standardOutput.isEmpty)
        #expect(insecure.standardError.contains("refusing to send a token to dev.azure.com over http"))
    }

    @Test("a repository's own config cannot add a host; the user's global config can")
    func repositoryConfigCannotAddHosts() throws {
        let organization = uniqueOrganization("local")
        let sandbox = try GitSandbox(extraHosts: [])
        let request = "protocol=https\nhost=proxy.example.test\npath=\(organization)/p/_git/r\n\n"
        #expect(try sandbox.helper("store", request.replacingOccurrences(
            of: "\n\n", with: "\nusername=me\npassword=pat-proxy\n\n")).status == 0)
        #expect(try store.credentials(server: "https://proxy.example.test", organization: organization).isEmpty)

        let repository = sandbox.home.appendingPathComponent("repo")
        #expect(try sandbox.git(["init", "-q", repository.path]).status == 0)
        #expect(try sandbox.git(["config", "azdo.extraHost", "proxy.example.test"], in: repository).status == 0)
        let local = try ProcessRunner.run(
            TestPaths.helper, ["store"],
            input: "protocol=https\nhost=proxy.example.test\npath=\(organization)/p\nusername=me\npassword=pat-proxy\n\n",
            environment: sandbox.environment, directory: repository)
        #expect(local.standardError.contains("ignoring azdo.extraHost=proxy.example.test from local git config"))
        #expect(try store.credentials(server: "https://proxy.example.test", organization: organization).isEmpty)

        #expect(try sandbox.git(["config", "--global", "azdo.extraHost", "proxy.example.test"]).status == 0)
        let global = try ProcessRunner.run(
            TestPaths.helper, ["store"],
            input: "protocol=https\nhost=proxy.example.test\npath=\(organization)/p\nusername=me\npassword=pat-proxy\n\n",
            environment: sandbox.environment, directory: repository)
        #expect(global.status == 0)
        #expect(try store.credentials(server: "https://proxy.example.test", organization: organization).count == 1)
        let azure = try ProcessRunner.run(TestPaths.helper, ["get"], input: input(organization))
        #expect(azure.standardOutput.isEmpty, "a proxy host's PAT is never offered to dev.azure.com")
    }
}
