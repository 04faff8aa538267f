import AzdoCredential
import AzdoTestSupport
import Foundation
import Testing

/// The Secret Service dying while the refresher rotates a PAT, in a keyring session of the
/// test's own (so the suite's shared keyring is never touched).
@Suite("The keyring lost during a rotation", .privateKeyring, .keyringTools)
struct KeyringLossTests {
    @Test("killed while the new PAT is being made: one line, no orphan PAT; a new daemon has the old PAT, the next run renews")
    func keyringDiesMidRotation() async throws {
        let organization = uniqueOrganization("lostkeyring")
        var world = try EmulatorWorld(repositories: ["\(organization)/p/_git/r"])
        let data = try TestPaths.temporaryDirectory("lost-keyring")
        let first = try BackgroundKeyringSession(data: data)
        world.environment["DBUS_SESSION_BUS_ADDRESS"] = first.busAddress
        #expect(try await world.login().status == 0)
        try await world.createPAT(organization, daysLeft: 5)
        let before = try world.activePATs(organization)
        #expect(before.count == 1)
        let input = "protocol=http\nhost=\(world.server.host)\npath=\(organization)/p/_git/r\n\n"
        let old = try world.cli(["get"], input: input).standardOutput
        #expect(old.contains("password="))

        // The create call is carried out at once and answered 5 s late. The daemon dies in the
        // meantime: a separate process kills it once the emulator holds the new PAT, so the
        // refresh is then waiting for that answer. Separate, because polling from this test
        // waits for one of the test runner's few threads, which other tests keep busy.
        let state = try TestPaths.temporaryDirectory("lost-keyring-state")
        world.environment["XDG_STATE_HOME"] = state.path
        try await world.control("fault?kind=slow&seconds=5&count=1&method=POST")
        let killer = try world.start(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", "-c", Self.killOnceCreated, world.server.baseURL, organization, String(first.keyringPID),
        ])
        let errors = OutputBuffer()
        let refresh = try world.start(["refresh"], standardError: errors.pipe)
        await world.finish(refresh, "refresh")
        await world.finish(killer, "the process that kills the keyring")
        #expect(killer.terminationStatus == 0, "the emulator never held a second PAT")
        let message = await errors.end(within: 10)
        first.end()
        #expect(refresh.terminationStatus == 1)
        let lines = message.split(separator: "\n")
        #expect(lines.count == 1, "\(message)")
        #expect(message.contains("renewing it failed: no Secret Service on the session bus"), "\(message)")

        let second = try BackgroundKeyringSession(data: data)
        defer { second.end() }
        world.environment["DBUS_SESSION_BUS_ADDRESS"] = second.busAddress
        #expect(try world.cli(["get"], input: input).standardOutput == old, "git still gets the old PAT")
        #expect(try world.activePATs(organization) == before, "the PAT made for the failed rotation was revoked")
        let next = try world.cli(["refresh"])
        #expect(next.status == 0, "\(next.standardError)")
        #expect(next.standardError.contains("\(organization): renewed"), "\(next.standardError)")
        let after = try world.activePATs(organization)
        #expect(after.count == 1, "no orphan PAT: \(after)")
        #expect(after != before)
        let renewed = try world.cli(["get"], input: input).standardOutput
        #expect(renewed.contains("password=") && renewed != old)
    }

    /// Polls the emulator's own list (`_emulator/pats?org=`, argv 1 and 2) until the
    /// organization has a second active PAT, then SIGKILLs process argv 3; a failed poll is
    /// tried again; exits 1 after 120 s.
    private static let killOnceCreated = """
        import json, os, signal, sys, time, urllib.request
        base, organization, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with opener.open(f"{base}/_emulator/pats?org={organization}", timeout=10) as answer:
                    active = json.load(answer)["active"]
            except OSError:
                active = []
            if len(active) >= 2:
                os.kill(pid, signal.SIGKILL)
                sys.exit(0)
            time.sleep(0.02)
        sys.exit(1)
        """
}
