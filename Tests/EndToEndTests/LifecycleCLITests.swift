import AzdoAPI
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
        let world = try EmulatorWorld(repositories: [repository])
        let sandbox = world.sandbox

        let login = try await world.login()
        #expect(login.status == 0)
        #expect(login.standardError.contains("signed in"))
        #expect(!login.standardError.contains("\u{1B}["), "no progress line when stderr is not a terminal")

        let create = try world.cli(["pat", "create", "--org", organization, "--days", "7"])
        #expect(create.status == 0, "\(create.standardError)")
        #expect(create.standardOutput.contains("created 'git-credential-azdo on "))

        let clone = try sandbox.git(["clone", "-q", "http://\(world.server.host)/\(repository)", "work"])
        #expect(clone.status == 0, "\(clone.standardError)")
        let work = sandbox.home.appendingPathComponent("work")
        #expect(try sandbox.git(["commit", "-q", "--allow-empty", "-m", "hi"], in: work).status == 0)
        #expect(try sandbox.git(["push", "-q", "origin", "HEAD:main"], in: work).status == 0)
        #expect(sandbox.promptCount == 0)

        let list = try world.cli(["pat", "list", "--org", organization, "--json"])
        #expect(list.status == 0)
        #expect(list.standardOutput.contains("\"usedByGit\" : true"))

        let extend = try world.cli(["pat", "extend", "--org", organization, "--days", "30"])
        #expect(extend.status == 0, "\(extend.standardError)")
        let items = try world.stored(organization)
        let validTo = try #require(items.first?.credential.metadata.validTo)
        #expect(items.count == 1)
        #expect(validTo > Int64(Date().timeIntervalSince1970) + 29 * 86_400)
        let get = try sandbox.helper("get", "protocol=http\nhost=\(world.server.host)\npath=\(repository)\n\n")
        #expect(get.standardOutput.contains("password_expiry_utc=\(validTo)\n"))

        let revoke = try world.cli(["pat", "revoke", "--org", organization])
        #expect(revoke.status == 0, "\(revoke.standardError)")
        #expect(try world.stored(organization).isEmpty)
        let fetch = try sandbox.git(["fetch", "-q"], in: work)
        #expect(fetch.status != 0)
        #expect(sandbox.promptCount == 1)
        #expect(try world.stored(organization).isEmpty)
    }

    @Test("pat commands without a sign-in fail with one line naming `login`")
    func notSignedIn() throws {
        let world = try EmulatorWorld(repositories: [])
        let result = try world.cli(["pat", "list", "--org", "contoso"])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines == ["git-credential-azdo: not signed in to Microsoft Entra; run `git credential-azdo login`"])
    }

    @Test("a repository's own config cannot move the endpoints, tenant or client id: ignored with one warning each")
    func repositoryConfigCannotRedirect() async throws {
        let organization = uniqueOrganization("hostile")
        var world = try EmulatorWorld(repositories: [])
        // The endpoints come from the user's global config here (not the environment, which
        // would win anyway), so a repository value that was not ignored would take effect.
        for (key, variable) in [("azdo.apiUrl", "GIT_CREDENTIAL_AZDO_API_URL"), ("azdo.authority", "GIT_CREDENTIAL_AZDO_AUTHORITY")] {
            #expect(try world.sandbox.git(["config", "--global", key, world.server.baseURL]).status == 0)
            world.environment[variable] = nil
        }
        #expect(try await world.login().status == 0)
        let repository = world.sandbox.home.appendingPathComponent("hostile")
        #expect(try world.sandbox.git(["init", "-q", repository.path]).status == 0)
        let hostile = [
            ("azdo.apiUrl", "http://127.0.0.1:9"), ("azdo.authority", "http://127.0.0.1:9"),
            ("azdo.clientId", "00000000-0000-0000-0000-00000000bad0"), ("azdo.tenant", "attacker"),
        ]
        for (key, value) in hostile {
            #expect(try world.sandbox.git(["config", key, value], in: repository).status == 0)
        }

        let create = try ProcessRunner.run(
            TestPaths.helper, ["pat", "create", "--org", organization, "--days", "7"], environment: world.environment,
            directory: repository)
        #expect(create.status == 0, "\(create.standardError)")
        let warnings = create.errorLines.filter { $0.contains("from local git config") }
        #expect(warnings.count == hostile.count, "\(create.standardError)")
        for (key, value) in hostile {
            #expect(warnings.contains { $0.hasPrefix("git-credential-azdo: ignoring \(key.lowercased())=\(value) from local") })
        }
        #expect(try world.activePATs(organization).count == 1, "the PAT was made on the real endpoint")
    }

    @Test("pat scope replaces the scopes of the stored PAT; reads still work, pushes are refused")
    func rescope() async throws {
        let organization = uniqueOrganization("scope")
        let repository = "\(organization)/web/_git/site"
        let world = try EmulatorWorld(repositories: [repository])
        try await world.signInAndCreate(organization)
        let before = try #require(world.stored(organization).first)

        let scope = try world.cli(["pat", "scope", "--org", organization, "--scopes", "vso.code"])
        #expect(scope.status == 0, "\(scope.standardError)")
        #expect(scope.standardOutput == "\(organization): the PAT's scopes are now vso.code\n")
        let after = try world.stored(organization)
        #expect(after.count == 1)
        #expect(after.first?.credential.metadata.scope == "vso.code")
        #expect(after.first?.credential.secret == before.credential.secret)
        let list = try world.cli(["pat", "list", "--org", organization])
        #expect(list.standardOutput.contains("  vso.code  "))

        let clone = try world.sandbox.git(["clone", "-q", "http://\(world.server.host)/\(repository)", "work"])
        #expect(clone.status == 0, "\(clone.standardError)")
        let work = world.sandbox.home.appendingPathComponent("work")
        #expect(try world.sandbox.git(["commit", "-q", "--allow-empty", "-m", "hi"], in: work).status == 0)
        #expect(try world.sandbox.git(["push", "-q", "origin", "HEAD:main"], in: work).status != 0)
        let refused = try await world.server.gitLog().filter { !$0.accepted && $0.tokenOrganization != nil }
        #expect(!refused.isEmpty, "the push was refused only for want of a PAT")
        #expect(refused.allSatisfy { $0.tokenOrganization == organization })
    }

    @Test("login --org signs in to the organization's own tenant, found from its 401")
    func tenantDiscovery() async throws {
        let organization = uniqueOrganization("tenant")
        let tenant = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
        let world = try EmulatorWorld(repositories: [], tenant: nil)
        try await world.control("tenant?org=\(organization)&tenant=\(tenant)")

        let login = try await world.login(["--org", organization])
        #expect(login.status == 0, "\(login.standardError)")
        #expect(login.standardError.contains("signed in to tenant \(tenant);"))
        let token = try SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)
            .refreshToken(authority: world.server.baseURL, tenant: tenant, clientID: LifecycleSettings.defaultClientID)
        #expect(token != nil)

        let create = try world.cli(["pat", "create", "--org", organization])
        #expect(create.status == 0, "\(create.standardError)")
        #expect(try world.stored(organization).count == 1)
    }

    @Test("--verbose traces every request with tokens redacted")
    func verboseRedacts() async throws {
        let organization = uniqueOrganization("trace")
        let world = try EmulatorWorld(repositories: [])
        let login = try await world.login(["--verbose"])
        #expect(login.status == 0, "\(login.standardError)")
        let create = try world.cli(["pat", "create", "--org", organization, "--verbose"])
        #expect(create.status == 0, "\(create.standardError)")
        let list = try world.cli(["pat", "list", "--org", organization, "-v"])
        #expect(list.status == 0, "\(list.standardError)")

        let trace = login.standardError + create.standardError + list.standardError
        #expect(trace.contains("> POST \(world.server.baseURL)/"))
        #expect(trace.contains("Authorization: Bearer [redacted]"))
        #expect(trace.contains("\"refresh_token\":\"[redacted]\""))
        #expect(trace.contains("\"token\":\"[redacted]\""))
        #expect(trace.contains("refresh_token=[redacted]"))
        let pat = try #require(world.stored(organization).first?.credential.secret.value)
        let refresh = try #require(SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds).refreshToken(
            authority: world.server.baseURL, tenant: world.environment["GIT_CREDENTIAL_AZDO_TENANT"] ?? "",
            clientID: LifecycleSettings.defaultClientID)?.token.value)
        #expect(!trace.contains(pat))
        #expect(!trace.contains(refresh))
        #expect(!trace.contains("eyJ"), "an access token reached the trace")
        #expect(create.standardOutput.hasPrefix("created "))
    }

    @Test("pat list without --org covers every organization with a stored PAT")
    func listEveryOrganization() async throws {
        let first = uniqueOrganization("lista"), second = uniqueOrganization("listb")
        let world = try EmulatorWorld(repositories: [])
        try await world.signInAndCreate(first)
        let create = try world.cli(["pat", "create", "--org", second])
        #expect(create.status == 0, "\(create.standardError)")
        let list = try world.cli(["pat", "list"])
        #expect(list.status == 0, "\(list.standardError)")
        let lines = list.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.contains { $0.hasPrefix("* \(first)  ") })
        #expect(lines.contains { $0.hasPrefix("* \(second)  ") })
    }

    @Test("the proxy comes from HTTPS_PROXY minus NO_PROXY; http_proxy and all_proxy are never read")
    func proxyFromEnvironment() async throws {
        let organization = uniqueOrganization("proxy")
        var world = try EmulatorWorld(repositories: [])
        try await world.signInAndCreate(organization)
        // Nothing listens on the discard port: a request sent there fails at once.
        let nowhere = "http://127.0.0.1:9"
        for name in ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"] { world.environment[name] = nowhere }
        let unread = try world.cli(["pat", "list", "--org", organization])
        #expect(unread.status == 0, "\(unread.standardError)")

        world.environment["HTTPS_PROXY"] = nowhere
        let proxied = try world.cli(["pat", "list", "--org", organization])
        #expect(proxied.status == 1)
        #expect(proxied.standardError.contains("could not reach"), "\(proxied.standardError)")

        world.environment["NO_PROXY"] = "127.0.0.1"
        let bypassed = try world.cli(["pat", "list", "--org", organization])
        #expect(bypassed.status == 0, "\(bypassed.standardError)")
    }

    @Test("a PAT for one organization is never offered to another")
    func noCrossOrganization() async throws {
        let first = uniqueOrganization("orga"), second = uniqueOrganization("orgb")
        let world = try EmulatorWorld(repositories: ["\(first)/p/_git/r", "\(second)/p/_git/r"])
        try await world.signInAndCreate(first)
        let cloneFirst = try world.sandbox.git(["clone", "-q", "http://\(world.server.host)/\(first)/p/_git/r", "a"])
        #expect(cloneFirst.status == 0, "\(cloneFirst.standardError)")
        let cloneSecond = try world.sandbox.git(["clone", "-q", "http://\(world.server.host)/\(second)/p/_git/r", "b"])
        #expect(cloneSecond.status != 0)
        #expect(world.sandbox.promptCount == 1)

        let create = try world.cli(["pat", "create", "--org", second])
        #expect(create.status == 0, "\(create.standardError)")
        let retry = try world.sandbox.git(["clone", "-q", "http://\(world.server.host)/\(second)/p/_git/r", "b"])
        #expect(retry.status == 0, "\(retry.standardError)")

        let log = try await world.server.gitLog()
        #expect(log.contains { $0.organization == first && $0.accepted })
        #expect(log.contains { $0.organization == second && $0.accepted })
        #expect(log.allSatisfy { $0.tokenOrganization == nil || $0.tokenOrganization == $0.organization })
    }

    @Test("status shows the stored PATs as a plain table off a terminal, and as versioned JSON")
    func status() async throws {
        let organization = uniqueOrganization("status")
        let world = try EmulatorWorld(repositories: [])
        try await world.signInAndCreate(organization)
        #expect(try world.cli(["refresh"]).status == 0)

        let table = try world.cli(["status"])
        #expect(table.status == 0, "\(table.standardError)")
        #expect(!table.standardOutput.contains("\u{1B}["), "no colours when stdout is not a terminal")
        let row = try #require(table.standardOutput.split(separator: "\n").first { $0.contains(organization) })
        // Columns are padded to the widest cell of every stored PAT, so split on the padding.
        let cells = row.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(cells.prefix(4) == ["*", "\(organization) (\(world.server.baseURL))", organization, cells[3]])
        #expect(cells[3].hasPrefix("git-credential-azdo on "))
        #expect(cells.contains("vso.code_write") && cells.contains("created"))
        #expect(cells.last?.hasPrefix("regenerated from ") == true)
        #expect(table.standardOutput.contains("last refresh: "))

        let json = try world.cli(["status", "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(document["version"] as? Int == 1)
        let pats = try #require(document["pats"] as? [[String: Any]])
        let pat = try #require(pats.first { $0["organization"] as? String == organization })
        #expect(pat["usedByGit"] as? Bool == true)
        #expect(pat["source"] as? String == "created")
        #expect([29, 30].contains(pat["daysLeft"] as? Int ?? 0), "30 days, less the seconds since it was made")
        #expect((pat["next"] as? [String: Any])?["action"] as? String == "rotate")
        #expect(document["refresher"] is [String: Any])
        let secret = try #require(world.stored(organization).first?.credential.secret.value)
        #expect(!json.standardOutput.contains(secret) && !table.standardOutput.contains(secret))
    }

    @Test("at a terminal, login shows how long the code stays valid while it waits, on one redrawn line")
    func progressAtTerminal() async throws {
        var world = try EmulatorWorld(repositories: [])
        world.environment["TERM"] = "xterm"
        let output = try TestPaths.temporaryDirectory("pty").appendingPathComponent("output")
        #expect(FileManager.default.createFile(atPath: output.path, contents: nil))
        let login = try world.start(TestPaths.supportScript("pty-run.py"), [output.path, TestPaths.helper.path, "login"])
        var text = ""
        _ = await poll(within: 120) {
            text = String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self)
            return text.contains("waiting for the sign-in") || !login.isRunning
        }
        try #require(try await world.approve(codeIn: text), "no code in: \(text)")
        await world.finish(login, "login at a terminal")
        #expect(login.terminationStatus == 0)
        text = String(decoding: try Data(contentsOf: output), as: UTF8.self)
        #expect(text.contains("\r\u{1B}[Kwaiting for the sign-in… (the code expires in 14:"))
        #expect(text.contains("\r\u{1B}[Kgit-credential-azdo: signed in"), "the progress line is erased before the result")
    }
}
