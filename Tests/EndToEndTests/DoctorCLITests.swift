import AzdoCredential
import AzdoTestSupport
import Foundation
import Testing

/// `doctor` of the built executable in each failure state.
@Suite("doctor in each failure state")
struct DoctorCLITests {
    @Test(
        "no bus, no Secret Service, a locked keyring: a FAIL line naming the fix, exit 1",
        .keyringTools,
        arguments: [
            (KeyringSession.Mode.noBus, "FAIL  session bus: no D-Bus session bus"),
            (.noService, "FAIL  keyring: no Secret Service on the session bus"),
            (.locked, "FAIL  keyring: the keyring is locked"),
        ])
    func keyringStates(mode: KeyringSession.Mode, expected: String) throws {
        let home = try TestPaths.temporaryDirectory("doctor")
        let result = try KeyringSession.run(
            mode, [TestPaths.helper.path, "doctor", "--offline"],
            environment: ["HOME": home.path, "GIT_CONFIG_NOSYSTEM": "1"])
        #expect(result.status == 1, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.split(separator: "\n").contains { $0.hasPrefix(expected) }, "\(result.standardOutput)")
        #expect(result.standardOutput.contains("FAIL  helper for dev.azure.com: none configured; run `git credential-azdo configure`"))
    }

    @Test("configured, signed in, one PAT expiring in 5 days, the clock right: warnings only, exit 0", .privateKeyring)
    func expiring() async throws {
        let organization = uniqueOrganization("doctor")
        let world = try EmulatorWorld(repositories: [])
        #expect(try world.cli(["configure"]).status == 0)
        #expect(try await world.login().status == 0)
        try await world.createPAT(organization, daysLeft: 5)
        let doctor = try world.cli(["doctor"])
        #expect(doctor.status == 0, "\(doctor.standardOutput)")
        let lines = doctor.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("warn  pat \(organization): expires on ") })
        #expect(lines.contains { $0.hasPrefix("ok    sign-in: ") })
        #expect(lines.contains("ok    helper for dev.azure.com: git-credential-azdo, asked first"))
        #expect(lines.contains { $0.hasPrefix("ok    clock: within ") })
        #expect(!lines.contains { $0.hasPrefix("FAIL") })
        let secret = try #require(world.stored(organization).first?.credential.secret.value)
        #expect(!doctor.standardOutput.contains(secret))
    }

    @Test("not signed in, and a clock 20 minutes off: the sign-in warning and a clock FAIL", .privateKeyring)
    func notSignedInAndSkewed() async throws {
        let world = try EmulatorWorld(repositories: [])
        try await world.control("clock?offset=1200")
        let doctor = try world.cli(["doctor"])
        #expect(doctor.status == 1)
        #expect(doctor.standardOutput.contains(
            "warn  sign-in: not signed in to Microsoft Entra: PATs cannot be created or renewed; run `git credential-azdo login`"))
        // The server's Date header has whole seconds, so the skew can read a second either way.
        let clock = try #require(doctor.standardOutput.split(separator: "\n").first { $0.hasPrefix("FAIL  clock: ") })
        let seconds = Int(clock.dropFirst("FAIL  clock: ".count).prefix { $0.isNumber }) ?? 0
        #expect((1_198...1_202).contains(seconds) && clock.contains(" s behind the server"), "\(clock)")
    }
}
