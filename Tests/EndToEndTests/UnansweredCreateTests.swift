import AzdoCredential
import AzdoTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Creates whose answer never reaches the client although the service made the PAT: the
/// emulator executable holds the answer past the client's real HTTP time-out (`slow`), or
/// hangs up after carrying the create out (`reset-after`). Afterwards each organization has
/// exactly one active PAT, and it is the one in the keyring.
@Suite("Unanswered creates leave no orphan PAT", .privateKeyring)
struct UnansweredCreateTests {
    /// The faults, on creates only; the time-out is 2 s, the slow answer comes after 4 s.
    static let faults = ["kind=slow&seconds=4&method=POST", "kind=reset-after&method=POST"]

    func world(_ label: String) async throws -> (EmulatorWorld, organization: String, repository: String) {
        let organization = uniqueOrganization(label)
        let repository = "\(organization)/p/_git/r"
        var world = try EmulatorWorld(repositories: [repository])
        world.environment["GIT_CREDENTIAL_AZDO_HTTP_TIMEOUT"] = "2"
        #expect(try await world.login().status == 0)
        return (world, organization, repository)
    }

    /// The keyring holds exactly the organization's active PATs, one of them, and git uses it.
    func expectOnePATStoredAndActive(
        _ world: EmulatorWorld, _ organization: String, _ repository: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let stored = try world.stored(organization)
        #expect(stored.count == 1, sourceLocation: sourceLocation)
        #expect(
            try await world.serverPATs(organization) == Set(stored.compactMap(\.credential.metadata.authorizationID)),
            "an orphan PAT is active on the server", sourceLocation: sourceLocation)
        let remote = try world.sandbox.git(["ls-remote", "http://\(world.server.host)/\(repository)"])
        #expect(remote.status == 0, "\(remote.standardError)", sourceLocation: sourceLocation)
        #expect(world.sandbox.promptCount == 0, sourceLocation: sourceLocation)
    }

    @Test("pat create: the PAT the lost answer made is revoked, a second create is stored", arguments: faults)
    func patCreate(fault: String) async throws {
        let (world, organization, repository) = try await world("lost-create")
        try await world.control("fault?\(fault)")
        let create = try world.cli(["pat", "create", "--org", organization])
        #expect(create.status == 0, "\(create.standardError)")
        try await expectOnePATStoredAndActive(world, organization, repository)
    }

    @Test("refresh: the regenerated PAT whose answer was lost is revoked; the one stored is the only active PAT",
        arguments: faults)
    func refresh(fault: String) async throws {
        let (world, organization, repository) = try await world("lost-rotation")
        try await world.createPAT(organization, daysLeft: 5)
        let old = try #require(try world.stored(organization).first?.credential)
        try await world.control("fault?\(fault)")
        let refresh = try world.cli(["refresh"])
        #expect(refresh.status == 0, "\(refresh.standardError)")
        #expect(refresh.standardError.contains("\(organization): renewed"), "\(refresh.standardError)")
        #expect(try world.stored(organization).first?.credential.secret != old.secret)
        try await expectOnePATStoredAndActive(world, organization, repository)
    }

    @Test("pat create killed while its create is unanswered: git keeps its PAT, and refresh revokes the one made")
    func killedDuringCreate() async throws {
        let (world, organization, repository) = try await world("killed-create")
        try await world.createPAT(organization, daysLeft: 30)
        let before = try world.stored(organization)
        let working = try await world.serverPATs(organization)
        #expect(working.count == 1)

        try await world.control("fault?kind=slow&seconds=120&method=POST")
        // This create waits out the held answer, so it is surely still running when killed.
        var patient = world
        patient.environment["GIT_CREDENTIAL_AZDO_HTTP_TIMEOUT"] = "120"
        let output = OutputBuffer()
        let create = try patient.start(["pat", "create", "--org", organization], standardError: output.pipe)
        var made = false
        for _ in 0..<600 where !made {
            made = try await world.serverPATs(organization).count == 2
            if !made { try await Task.sleep(for: .milliseconds(100)) }
        }
        kill(create.processIdentifier, SIGKILL)
        await world.finish(create, "pat create")
        let stderr = await output.end(within: 10)
        #expect(made, "the emulator never received the create: \(stderr)")
        #expect(try world.stored(organization) == before)

        let refresh = try world.cli(["refresh"])
        #expect(refresh.status == 0, "\(refresh.standardError)")
        #expect(
            refresh.standardError.contains(
                "\(organization): undid a `pat create` an earlier run left unfinished (1 unstored PAT(s) revoked)"),
            "\(refresh.standardError)")
        #expect(try await world.serverPATs(organization) == working)
        try await expectOnePATStoredAndActive(world, organization, repository)
    }
}
