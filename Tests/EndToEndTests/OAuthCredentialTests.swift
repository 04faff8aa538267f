import AzdoCredential
import AzdoHTTP
import AzdoKeyring
import AzdoNetwork
import AzdoTestSupport
import Foundation
import Testing

/// `azdo.credentialType oauth`: git gets Microsoft Entra access tokens from the `login`
/// sign-in instead of PATs, with real git, the real keyring and the emulator.
@Suite("git with Entra access tokens (credentialType oauth)", .privateKeyring)
struct OAuthCredentialTests {
    /// A signed-in world whose global config makes every organization use `oauth`.
    func world(_ repository: String) async throws -> EmulatorWorld {
        let world = try EmulatorWorld(repositories: [repository])
        let login = try await world.login(["--device-code"])
        #expect(login.status == 0, "\(login.standardError)")
        #expect(try world.sandbox.git(["config", "--global", "azdo.credentialType", "oauth"]).status == 0)
        return world
    }

    /// The emulator's git log for `organization`: whether each request was accepted, and with an Entra token.
    func gitLog(_ world: EmulatorWorld, _ organization: String) async throws -> [(accepted: Bool, entra: Bool)] {
        try await world.server.gitLog().filter { $0.organization == organization }.map { ($0.accepted, $0.entra) }
    }

    func cachedTokens(_ world: EmulatorWorld, _ organization: String) throws -> [CachedAccessToken] {
        try SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)
            .accessTokens(server: world.server.baseURL, organization: organization).map(\.token)
    }

    @Test("clone and push with an Entra access token: no PAT is made, no prompt, the token is cached with its account")
    func cloneAndPush() async throws {
        let organization = uniqueOrganization("oauth")
        let repository = "\(organization)/p/_git/r"
        let world = try await world(repository)
        let clone = try world.git(["clone", "-q", "http://\(world.server.host)/\(repository)", "work"])
        #expect(clone.status == 0, "\(clone.standardError)")
        let work = world.sandbox.home.appendingPathComponent("work")
        #expect(try world.git(["commit", "-q", "--allow-empty", "-m", "one"], in: work).status == 0)
        let push = try world.git(["push", "-q", "origin", "HEAD:main"], in: work)
        #expect(push.status == 0, "\(push.standardError)")
        #expect(world.sandbox.promptCount == 0)
        #expect(try await world.serverPATs(organization).isEmpty)
        #expect(try world.stored(organization).isEmpty, "git's store kept no PAT")
        let log = try await gitLog(world, organization)
        #expect(log.contains { $0.accepted && $0.entra })
        #expect(!log.contains { $0.accepted && !$0.entra })
        let cached = try cachedTokens(world, organization)
        #expect(cached.count == 1)
        #expect(cached.first?.account == "emulated.user@contoso.example")
        // One login redemption is not counted (device code); clone and push shared one renewal.
        #expect(try await world.refreshTokenRedemptions() == 1)

        let answer = try world.get(repository)
        #expect(answer.standardOutput.hasPrefix("username=emulated.user@contoso.example\npassword="))
        #expect(answer.standardOutput.contains("password_expiry_utc=\(cached.first?.expiresAt ?? 0)\n"))
    }

    @Test("git 2.46's authtype capability gets authtype=Bearer and credential=, which the server accepts as Bearer")
    func bearer() async throws {
        let organization = uniqueOrganization("bearer")
        let repository = "\(organization)/p/_git/r"
        let world = try await world(repository)
        let answer = try world.get(repository, extra: "capability[]=authtype\n")
        #expect(answer.status == 0, "\(answer.standardError)")
        let lines = answer.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "capability[]=authtype")
        #expect(lines.contains("authtype=Bearer"))
        #expect(!lines.contains { $0.hasPrefix("username=") || $0.hasPrefix("password=") })
        let credential = try #require(lines.first { $0.hasPrefix("credential=") }?.dropFirst("credential=".count))
        let response = try await CurlTransport(environment: [:], timeoutSeconds: 10).send(HTTPRequest(
            method: "GET", url: "\(world.server.baseURL)/\(repository)/info/refs?service=git-upload-pack",
            headers: ["Authorization": "Bearer \(credential)"]))
        #expect(response.status == 200)

        // git's erase of a rejected Bearer credential removes that cached token, not the sign-in.
        let erase = try world.cli(
            ["erase"],
            input: "capability[]=authtype\nprotocol=http\nhost=\(world.server.host)\npath=\(repository)\n"
                + "authtype=Bearer\ncredential=\(credential)\n\n")
        #expect(erase.status == 0, "\(erase.standardError)")
        #expect(try cachedTokens(world, organization).isEmpty)
        #expect(try world.get(repository).standardOutput.contains("password="), "the sign-in renews a new one")
    }

    @Test("a token within 5 minutes of expiry is never handed out: each get renews it, then a long-lived one is cached")
    func renewalMargin() async throws {
        let organization = uniqueOrganization("margin")
        let repository = "\(organization)/p/_git/r"
        let world = try await world(repository)
        try await world.control("entra?token-lifetime=300")
        let first = try world.get(repository)
        #expect(first.standardOutput.contains("password="), "\(first.standardError)")
        let second = try world.get(repository)
        #expect(second.standardOutput.contains("password="))
        #expect(try await world.refreshTokenRedemptions() == 2, "the first token had only 300 s left, so it was renewed")
        try await world.control("entra?token-lifetime=3600")
        _ = try world.get(repository)
        let fourth = try world.get(repository)
        #expect(fourth.standardOutput.contains("password="))
        #expect(try await world.refreshTokenRedemptions() == 3, "the 3600 s token is used from the keyring")
    }

    @Test("the server's clock past the token's expiry: git's fetch fails once and erases it; the next renews and works")
    func expiredOnServer() async throws {
        let organization = uniqueOrganization("expired")
        let repository = "\(organization)/p/_git/r"
        let world = try await world(repository)
        #expect(try world.git(["clone", "-q", "http://\(world.server.host)/\(repository)", "work"]).status == 0)
        let work = world.sandbox.home.appendingPathComponent("work")
        try await world.control("clock?offset=3700")
        let refused = try world.git(["fetch", "-q"], in: work)
        #expect(refused.status != 0)
        #expect(try cachedTokens(world, organization).isEmpty, "git erased the token the server refused")
        let fetch = try world.git(["fetch", "-q"], in: work)
        #expect(fetch.status == 0, "\(fetch.standardError)")
        #expect(try await world.refreshTokenRedemptions() == 2)
        try await world.control("clock?offset=0")
    }

    @Test("16 parallel fills while the token is missing redeem the refresh token once, and every fill gets the token")
    func parallelFills() async throws {
        let organization = uniqueOrganization("fills")
        let repository = "\(organization)/p/_git/r"
        let world = try await world(repository)
        let results = try world.parallelLoad(fills: 16, repository: repository, seconds: 0, minimumRounds: 1)
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0.text.contains("password=") && !$0.text.contains("FAILED") }, "\(results.map(\.text))")
        #expect(try await world.refreshTokenRedemptions() == 1)
    }

    @Test("without a sign-in, get prints one line and nothing on stdout, so git can prompt")
    func notSignedIn() async throws {
        let organization = uniqueOrganization("nosign")
        let repository = "\(organization)/p/_git/r"
        let world = try EmulatorWorld(repositories: [repository])
        #expect(try world.sandbox.git(["config", "--global", "azdo.credentialType", "oauth"]).status == 0)
        let answer = try world.get(repository)
        #expect(answer.status == 0)
        #expect(answer.standardOutput.isEmpty)
        #expect(answer.errorLines == [
            "git-credential-azdo: no Microsoft Entra token for git: not signed in to Microsoft Entra; "
                + "run `git credential-azdo login`"
        ])
    }

    @Test("without a sign-in, a PAT still stored for the organization keeps git working, after the one line")
    func patStillStored() async throws {
        let organization = uniqueOrganization("kept")
        let repository = "\(organization)/p/_git/r"
        let world = try EmulatorWorld(repositories: [repository])
        let pat = "webui" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        try await world.control("pat?org=\(organization)", body: pat)
        #expect(try world.cli(["pat", "import", "--org", organization], input: pat + "\n").status == 0)
        #expect(try world.sandbox.git(["config", "--global", "azdo.credentialType", "oauth"]).status == 0)
        let answer = try world.get(repository)
        #expect(answer.standardOutput.contains("password=\(pat)\n"))
        #expect(answer.errorLines.count == 1)
        #expect(answer.errorLines.first?.contains("not signed in to Microsoft Entra") == true)
    }

    @Test("switching the organization back to pat takes effect at the next get (git's answer is kept per config state)")
    func switchBack() async throws {
        let organization = uniqueOrganization("switch")
        let repository = "\(organization)/p/_git/r"
        let world = try await world(repository)
        for _ in 1...2 { #expect(try world.get(repository).standardOutput.contains("password=eyJ")) }
        #expect(try world.sandbox.git(["config", "--global", "azdo.credentialType", "pat"]).status == 0)
        let after = try world.get(repository)
        #expect(after.standardOutput.isEmpty, "no PAT is stored, and the token is not handed out any more")
        #expect(after.standardError.isEmpty)
    }

    @Test("a repository's own config cannot choose oauth; azdo.ORG.credentialType pat overrides the global oauth")
    func scopes() async throws {
        let organization = uniqueOrganization("scoped")
        let repository = "\(organization)/p/_git/r"
        let world = try EmulatorWorld(repositories: [repository])
        #expect(try world.sandbox.git(["init", "-q", "repo"]).status == 0)
        let repo = world.sandbox.home.appendingPathComponent("repo")
        #expect(try world.sandbox.git(["config", "azdo.credentialType", "oauth"], in: repo).status == 0)
        let local = try ProcessRunner.run(
            TestPaths.helper, ["get"], input: "protocol=http\nhost=\(world.server.host)\npath=\(repository)\n\n",
            environment: world.environment, directory: repo)
        #expect(local.standardOutput.isEmpty)
        #expect(local.standardError.contains("ignoring azdo.credentialtype=oauth from local git config"), "\(local.standardError)")
        #expect(!local.standardError.contains("Entra"))

        #expect(try world.sandbox.git(["config", "--global", "azdo.credentialType", "oauth"]).status == 0)
        #expect(try world.sandbox.git(["config", "--global", "azdo.\(organization).credentialType", "pat"]).status == 0)
        let specific = try world.get(repository)
        #expect(specific.standardOutput.isEmpty)
        #expect(specific.standardError.isEmpty, "a PAT organization without a PAT: git prompts, silently")
    }

    @Test("pat create where the organization forbids PATs switches it to oauth in one line; git then works with Entra tokens")
    func fallback() async throws {
        let organization = uniqueOrganization("nopats")
        let repository = "\(organization)/p/_git/r"
        let world = try EmulatorWorld(repositories: [repository])
        #expect(try await world.login(["--device-code"]).status == 0)
        try await world.control("policy?disable-creation=true")
        let create = try world.cli(["pat", "create", "--org", organization])
        #expect(create.status == 0, "\(create.standardError)")
        #expect(create.standardOutput.isEmpty)
        let settings = world.sandbox.home.appendingPathComponent(".config/git-credential-azdo/settings").path
        #expect(create.errorLines == [
            "git-credential-azdo: \(organization): the organization forbids creating PATs "
                + "(disablePatCreationPolicyViolation), so git now uses Microsoft Entra tokens for it "
                + "(azdo.\(organization).credentialType=oauth in \(settings); `git config --global azdo.autoFallback false` "
                + "turns this off)"
        ])
        let type = try world.sandbox.git(["config", "--global", "--includes", "azdo.\(organization).credentialType"])
        #expect(type.standardOutput == "oauth\n")
        let clone = try world.git(["clone", "-q", "http://\(world.server.host)/\(repository)", "work"])
        #expect(clone.status == 0, "\(clone.standardError)")
        #expect(try await gitLog(world, organization).contains { $0.accepted && $0.entra })
        #expect(try await world.serverPATs(organization).isEmpty)
        #expect(world.sandbox.promptCount == 0)
    }
}
