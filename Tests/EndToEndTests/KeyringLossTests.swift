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
        // meantime: once the emulator holds the new PAT, the refresh is waiting for that answer,
        // whatever the test runner's threads are doing.
        let state = try TestPaths.temporaryDirectory("lost-keyring-state")
        world.environment["XDG_STATE_HOME"] = state.path
        try await world.control("fault?kind=slow&seconds=5&count=1&method=POST")
        let errors = OutputBuffer()
        let refresh = try world.start(["refresh"], standardError: errors.pipe)
        while refresh.isRunning, try await world.serverPATs(organization).count < 2 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(refresh.isRunning, "the refresh was still waiting for the create's answer")
        kill(first.keyringPID, SIGKILL)
        await world.finish(refresh, "refresh")
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
}
