import AzdoCredential
import AzdoLifecycle
import AzdoSetup
import AzdoTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `refresh`, `daemon` and `refresher` of the built executables against the emulator, with
/// the real keyring, real git and the stand-in notification server on the private bus.
@Suite("The refresher against the emulator", .privateKeyring, .notificationService)
struct RefresherCLITests {
    @Test("8 days from expiry: nothing; 7 days with rotation off: a notification, and one reminder a day from git")
    func warnings() async throws {
        let calm = uniqueOrganization("calm"), close = uniqueOrganization("close")
        let world = try EmulatorWorld(repositories: ["\(calm)/p/_git/r", "\(close)/p/_git/r"])
        #expect(try await world.login().status == 0)
        try await world.createPAT(calm, daysLeft: 8)
        try await world.createPAT(close, daysLeft: 7)
        #expect(try world.sandbox.git(["config", "--global", "azdo.\(close).rotate", "false"]).status == 0)

        let refresh = try world.cli(["refresh"])
        #expect(refresh.status == 0, "\(refresh.standardError)")
        #expect(refresh.errorLines.contains { $0.hasPrefix("git-credential-azdo: \(calm): ") && $0.hasSuffix("; nothing to do") })
        let warning = try #require(refresh.errorLines.first { $0.hasPrefix("git-credential-azdo: \(close): ") })
        #expect(warning.hasSuffix("(rotation is off for it)"))
        #expect(NotificationLog.entries(mentioning: calm).isEmpty)
        let notes = NotificationLog.entries(mentioning: close)
        #expect(notes.count == 1)
        #expect(notes.first?.summary == "Azure DevOps PAT for \(close) expires soon")
        #expect(notes.first?.app == "git-credential-azdo")
        #expect(notes.first.map { warning.hasSuffix($0.body) } == true)

        let quiet = try world.sandbox.git(["ls-remote", "http://\(world.server.host)/\(calm)/p/_git/r"])
        #expect(quiet.status == 0 && quiet.standardError.isEmpty, "\(quiet.standardError)")
        let reminded = try world.sandbox.git(["ls-remote", "http://\(world.server.host)/\(close)/p/_git/r"])
        #expect(reminded.status == 0)
        #expect(reminded.errorLines.count == 1)
        #expect(reminded.errorLines.first?.hasPrefix("git-credential-azdo: the PAT for \(close) ('git-credential-azdo on ") == true)
        #expect(reminded.errorLines.first?.hasSuffix("`git credential-azdo refresh` renews it now") == true)
        let again = try world.sandbox.git(["ls-remote", "http://\(world.server.host)/\(close)/p/_git/r"])
        #expect(again.status == 0 && again.standardError.isEmpty, "reminded once a day: \(again.standardError)")
        #expect(world.sandbox.promptCount == 0)
    }

    @Test("rotation: git uses the new PAT silently, the old one is revoked, exactly one PAT is left")
    func rotation() async throws {
        let organization = uniqueOrganization("rotate")
        let repository = "\(organization)/p/_git/r"
        let world = try EmulatorWorld(repositories: [repository])
        #expect(try await world.login().status == 0)
        try await world.createPAT(organization, daysLeft: 6)
        let old = try #require(try world.stored(organization).first?.credential)

        let refresh = try world.cli(["refresh"])
        #expect(refresh.status == 0, "\(refresh.standardError)")
        #expect(refresh.standardError.contains("\(organization): renewed; the new PAT 'git-credential-azdo on "))
        let stored = try world.stored(organization)
        let new = try #require(stored.first?.credential)
        #expect(stored.count == 1)
        #expect(new.secret != old.secret)
        #expect(new.metadata.scope == old.metadata.scope)
        #expect(try await !world.accepts(old.secret, organization: organization), "the old PAT is revoked")
        #expect(try await world.accepts(new.secret, organization: organization))
        #expect(try world.activePATs(organization) == Set([new.metadata.authorizationID].compactMap { $0 }))
        #expect(NotificationLog.entries(mentioning: organization).map(\.urgency) == [0])

        let remote = try world.sandbox.git(["ls-remote", "http://\(world.server.host)/\(repository)"])
        #expect(remote.status == 0 && remote.standardError.isEmpty, "\(remote.standardError)")
        #expect(world.sandbox.promptCount == 0)
    }

    @Test("killed right after each rotation step, the next run leaves one working PAT and no orphan", arguments: RotationStep.allCases)
    func killedAtStep(_ step: RotationStep) async throws {
        let organization = uniqueOrganization("kill")
        var world = try EmulatorWorld(repositories: [])
        #expect(try await world.login().status == 0)
        for round in 1...2 {
            try await world.createPAT(organization, daysLeft: 5)
            world.environment["GIT_CREDENTIAL_AZDO_TEST_KILL_AT"] = step.rawValue
            let killed = try world.cli(["refresh"])
            #expect(killed.status == 128 + SIGKILL, "round \(round): \(killed.standardError)")
            let working = try world.stored(organization).map(\.credential.secret)
            var anyWorks = false
            for secret in working where try await world.accepts(secret, organization: organization) { anyWorks = true }
            #expect(anyWorks, "round \(round): after a kill at \(step) git had no working PAT")

            world.environment["GIT_CREDENTIAL_AZDO_TEST_KILL_AT"] = nil
            let again = try world.cli(["refresh"])
            #expect(again.status == 0, "round \(round): \(again.standardError)")
            let stored = try world.stored(organization)
            #expect(stored.count == 1, "round \(round)")
            let secret = try #require(stored.first?.credential.secret)
            #expect(try await world.accepts(secret, organization: organization))
            #expect(try world.activePATs(organization) == Set(stored.compactMap(\.credential.metadata.authorizationID)),
                    "round \(round): an orphan PAT is left on the server")
            // Make room for the next round's due PAT.
            #expect(try world.cli(["pat", "revoke", "--org", organization]).status == 0)
        }
    }

    @Test("16 parallel `git credential fill` during rotations always get a PAT, old or new", .heavyKeyringLoad)
    func fillsDuringRotation() async throws {
        let organization = uniqueOrganization("busy")
        let world = try EmulatorWorld(repositories: [])
        #expect(try await world.login().status == 0)
        var seen = Set<String>()
        for _ in 1...3 {
            try await world.createPAT(organization, daysLeft: 5)
            // Stretch the rotation: the create and the revoke answer a second late.
            try await world.control("fault?kind=slow&seconds=1&count=1")
            let refresher = try world.start(["refresh"])
            let results = try world.parallelLoad(
                fills: 16, repository: "\(organization)/p/_git/r", seconds: 3, minimumRounds: 2
            ).map(\.text)
            await world.finish(refresher, "refresh")
            #expect(refresher.terminationStatus == 0)
            #expect(results.count >= 32)
            let passwords = results.compactMap { $0.split(separator: "\n").first { $0.hasPrefix("password=") } }
            #expect(passwords.count == results.count, "every fill got a PAT: \(results.filter { !$0.contains("password=") })")
            seen.formUnion(passwords.map(String.init))
            #expect(try world.stored(organization).count == 1)
            #expect(try world.cli(["pat", "revoke", "--org", organization]).status == 0)
        }
        #expect(seen.count >= 3, "the fills saw the PATs of each round")
        #expect(world.sandbox.promptCount == 0)
    }

    @Test("load: 64 fills and 8 clones in parallel while the refresher rotates: no failure, every PAT valid", .heavyKeyringLoad)
    func loadDuringRotation() async throws {
        let organization = uniqueOrganization("load")
        let repository = "\(organization)/p/_git/r"
        let world = try EmulatorWorld(repositories: [repository])
        #expect(try await world.login().status == 0)
        // A clone makes several requests with the PAT it got first; a grace period keeps the
        // replaced PAT working until a later run, so a clone that straddles the rotation
        // finishes (with the default, revoking at once, such a clone fails and is retried).
        #expect(try world.sandbox.git(["config", "--global", "azdo.revokeGraceHours", "1"]).status == 0)
        try await world.createPAT(organization, daysLeft: 5)
        let old = try #require(try world.stored(organization).first?.credential.secret.value)
        try await world.control("fault?kind=slow&seconds=1&count=1")
        let refresher = try world.start(["refresh"])
        let contents = try world.parallelLoad(fills: 64, clones: 8, repository: repository, seconds: 3, minimumRounds: 1)
        await world.finish(refresher, "refresh")
        #expect(refresher.terminationStatus == 0)
        let fills = contents.filter { $0.0.hasPrefix("fill.") }
        #expect(fills.count >= 64)
        #expect(contents.filter { $0.1.contains("FAILED") }.map(\.0).isEmpty)
        let new = try #require(try world.stored(organization).first?.credential.secret.value)
        #expect(new != old, "the refresher rotated during the load")
        let passwords = Set(fills.compactMap { $0.1.split(separator: "\n").first { $0.hasPrefix("password=") }.map { String($0.dropFirst(9)) } })
        #expect(passwords.isSubset(of: [old, new]) && !passwords.isEmpty, "every fill got the old or the new PAT")
        #expect(world.sandbox.promptCount == 0)
    }

    @Test("a failing API never loses the stored PAT; the next run renews it")
    func failingAPI() async throws {
        let organization = uniqueOrganization("flaky")
        var world = try EmulatorWorld(repositories: ["\(organization)/p/_git/r"])
        world.environment["GIT_CREDENTIAL_AZDO_HTTP_TIMEOUT"] = "2"
        #expect(try await world.login().status == 0)
        try await world.createPAT(organization, daysLeft: 5)
        let before = try world.stored(organization)
        // The create gets one 500 (it is never repeated blindly), then the list that would
        // reconcile it three.
        try await world.control("fault?kind=server-error&count=4")
        let failed = try world.cli(["refresh"])
        #expect(failed.status == 1)
        #expect(failed.standardError.contains("renewing it failed: Azure DevOps had an internal error (HTTP 500)"))
        #expect(try world.stored(organization) == before)
        let remote = try world.sandbox.git(["ls-remote", "http://\(world.server.host)/\(organization)/p/_git/r"])
        #expect(remote.status == 0, "\(remote.standardError)")

        let status = try world.cli(["refresher", "status"])
        #expect(status.standardOutput.contains("(needs attention)"))
        let next = try world.cli(["refresh"])
        #expect(next.status == 0, "\(next.standardError)")
        #expect(next.standardError.contains("undid a rotation an earlier run left unfinished (0 unstored PAT(s) revoked)"))
        #expect(next.standardError.contains("\(organization): renewed"))
        #expect(try world.stored(organization).count == 1)
        #expect(try world.activePATs(organization).count == 1)
    }

    @Test("without a sign-in: one line and a critical notification naming `login`; the PAT is untouched")
    func notSignedIn() async throws {
        let organization = uniqueOrganization("nosign")
        let world = try EmulatorWorld(repositories: [])
        #expect(try await world.login().status == 0)
        try await world.createPAT(organization, daysLeft: 5)
        let before = try world.stored(organization)
        // Another tenant has no sign-in stored, as after the refresh token was lost.
        var elsewhere = world
        elsewhere.environment["GIT_CREDENTIAL_AZDO_TENANT"] = uniqueOrganization("othertenant")
        elsewhere.environment["GIT_CREDENTIAL_AZDO_CLIENT_ID"] = "another-client"
        let refresh = try elsewhere.cli(["refresh"])
        #expect(refresh.status == 1)
        #expect(refresh.errorLines.last == "git-credential-azdo: cannot renew PATs: not signed in to Microsoft Entra; "
            + "run `git credential-azdo login`; the stored PATs are unchanged")
        #expect(NotificationLog.entries(mentioning: organization).map(\.urgency) == [1], "the expiry warning")
        #expect(!NotificationLog.entries(mentioning: "Sign in again to renew Azure DevOps PATs").isEmpty)
        #expect(try world.stored(organization) == before)
    }

    @Test("while another process holds the lock, refresh does nothing; two started together rotate once")
    func lock() async throws {
        let organization = uniqueOrganization("lock")
        let world = try EmulatorWorld(repositories: [])
        #expect(try await world.login().status == 0)
        try await world.createPAT(organization, daysLeft: 5)
        let before = try world.stored(organization)

        let state = world.sandbox.home.appendingPathComponent(".local/state/git-credential-azdo").path
        do {
            let held = try #require(StateLock.acquire(in: state))
            let blocked = try world.cli(["refresh"])
            #expect(blocked.status == 0)
            #expect(blocked.errorLines == ["git-credential-azdo: another refresh is running; this one did nothing"])
            #expect(try world.stored(organization) == before)
            withExtendedLifetime(held) {}
        }

        let runs = try await withThrowingTaskGroup(of: ProcessResult.self) { group in
            for _ in 0..<2 { group.addTask { try world.cli(["refresh"]) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(runs.allSatisfy { $0.status == 0 })
        #expect(runs.filter { $0.standardError.contains("\(organization): renewed") }.count == 1)
        #expect(try world.stored(organization).count == 1)
        #expect(try world.activePATs(organization).count == 1)
    }

    @Test("the daemon renews, then sleeps without using CPU, and stops cleanly on SIGTERM")
    func daemon() async throws {
        let organization = uniqueOrganization("daemon")
        let world = try EmulatorWorld(repositories: [])
        #expect(try await world.login().status == 0)
        try await world.createPAT(organization, daysLeft: 5)
        let old = try #require(try world.stored(organization).first?.credential.secret)

        let stderr = OutputBuffer()
        let daemon = try world.start(["daemon"], standardError: stderr.pipe)
        // Bounded generously: a busy machine slows the daemon's start and sign-in, not its result.
        let renewed = await poll(within: 120) {
            (try? world.stored(organization).first?.credential.secret).map { $0 != old } ?? false
        }
        #expect(renewed)
        try await Task.sleep(for: .milliseconds(300))
        let before = try cpuTicks(of: daemon.processIdentifier)
        try await Task.sleep(for: .seconds(2))
        let after = try cpuTicks(of: daemon.processIdentifier)
        #expect(after - before <= 2, "the idle daemon used \(after - before) clock ticks in 2 s")
        kill(daemon.processIdentifier, SIGTERM)
        await world.finish(daemon, "the daemon after SIGTERM")
        #expect(daemon.terminationReason == .exit && daemon.terminationStatus == 0)
        let output = await stderr.end(within: 10)
        #expect(output.contains("\(organization): renewed"))
        #expect(output.hasSuffix("git-credential-azdo: daemon stopped after 1 pass(es)\n"))
    }

    @Test("refresher enable writes valid units for this executable; status and disable follow them")
    func timerUnits() throws {
        let world = try EmulatorWorld(repositories: [])
        let units = world.sandbox.home.appendingPathComponent(".config/systemd/user")
        let enable = try world.cli(["refresher", "enable"])
        let service = try String(contentsOf: units.appendingPathComponent(SystemdUnits.serviceName), encoding: .utf8)
        #expect(service == SystemdUnits.service(executable: TestPaths.helper.path))
        // No systemd user manager runs here, so enabling reports that and names the daemon instead.
        #expect(enable.status == 1)
        #expect(enable.standardError.contains("run `git credential-azdo daemon` from your session's startup instead"))
        if ProcessRunner.isInstalled("systemd-analyze") {
            let verify = try ProcessRunner.run(
                command: "systemd-analyze",
                ["verify", "--man=no", units.appendingPathComponent(SystemdUnits.serviceName).path,
                 units.appendingPathComponent(SystemdUnits.timerName).path])
            #expect(verify.status == 0 && verify.standardError.isEmpty, "\(verify.standardError)")
        }
        let status = try world.cli(["refresher", "status"])
        #expect(status.standardOutput.contains("units: installed in \(units.path)"))
        #expect(status.standardOutput.contains("last refresh: never"))
        let disable = try world.cli(["refresher", "disable"])
        #expect(disable.status == 0)
        #expect(!FileManager.default.fileExists(atPath: units.appendingPathComponent(SystemdUnits.timerName).path))
        #expect(try world.cli(["refresher", "status"]).standardOutput.contains("units: not installed"))
    }

    @Test("refresher write-units writes the packaged units, for the executable named, and nothing else")
    func packagedUnits() throws {
        let world = try EmulatorWorld(repositories: [])
        let directory = world.sandbox.home.appendingPathComponent("packaged")
        let written = try world.cli(["refresher", "write-units", "--executable", "/usr/bin/git-credential-azdo", directory.path])
        #expect(written.status == 0 && written.standardOutput.isEmpty && written.standardError.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            == [SystemdUnits.serviceName, SystemdUnits.timerName])
        let service = try String(contentsOf: directory.appendingPathComponent(SystemdUnits.serviceName), encoding: .utf8)
        #expect(service == SystemdUnits.service(executable: "/usr/bin/git-credential-azdo"))
        #expect(service.contains("\nExecStart=/usr/bin/git-credential-azdo refresh\n"))
        let relative = try world.cli(
            ["refresher", "write-units", "--executable", "git-credential-azdo", directory.path])
        #expect(relative.status == 1)
        #expect(relative.standardError == "git-credential-azdo: --executable must be an absolute path (systemd runs ExecStart as given)\n")
        let help = try world.cli(["refresher", "--help"])
        #expect(!help.standardOutput.contains("write-units"), "a packaging command, hidden from people")
    }
}

/// utime + stime of `pid`, in clock ticks, from /proc.
func cpuTicks(of pid: Int32) throws -> Int {
    let fields = try #require(ProcessTree.stat(of: pid))
    return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
}
