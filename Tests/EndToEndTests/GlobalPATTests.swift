import AzdoAPI
import AzdoCredential
import AzdoTestSupport
import Foundation
import Testing

/// Global (all-organization) PATs, which Azure DevOps stops accepting on 2026-12-01: the
/// refresher finds one among the stored PATs and replaces it, with the real keyring, the
/// emulator and real git.
@Suite("Global PATs against the emulator", .privateKeyring, .notificationService)
struct GlobalPATTests {
    @Test("an imported global PAT: refresh finds it, replaces it with an org-scoped PAT, and git works past 2026-12-01")
    func replaced() async throws {
        let organization = uniqueOrganization("global")
        let repository = "\(organization)/p/_git/r"
        let world = try EmulatorWorld(repositories: [repository])
        #expect(try await world.login(["--device-code"]).status == 0)
        let global = "global" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        try await world.control("pat?org=\(organization)&all-orgs=true", body: global)
        let imported = try world.cli(["pat", "import", "--org", organization], input: global + "\n")
        #expect(imported.status == 0, "\(imported.standardError)")

        let refresh = try world.cli(["refresh"])
        #expect(refresh.status == 0, "\(refresh.standardError)")
        let line = try #require(refresh.errorLines.first { $0.contains(organization) })
        #expect(line.contains("\(organization): the PAT was a global (all-organization) PAT, and Azure DevOps stops "
            + "accepting those on 2026-12-01; replaced it with the organization-scoped PAT 'git-credential-azdo "
            + "(replaces a global PAT) ~"), "\(line)")
        let stored = try world.stored(organization)
        #expect(stored.count == 1)
        #expect(stored.first?.credential.secret.value != global)
        #expect(stored.first?.credential.metadata.scope == "app_token")
        #expect(NotificationLog.entries(mentioning: organization).map(\.summary) == ["Azure DevOps PAT for \(organization) replaced"])

        try await world.control("clock?offset=\(PATToken.globalRetirement - Int64(Date().timeIntervalSince1970) + 3_600)")
        let remote = try world.sandbox.git(["ls-remote", "http://\(world.server.host)/\(repository)"])
        #expect(remote.status == 0, "\(remote.standardError)")
        #expect(world.sandbox.promptCount == 0)
        let status = try world.cli(["status", "--json"])
        #expect(status.standardOutput.contains(#""global" : false"#))
        try await world.control("clock?offset=0")
    }
}
