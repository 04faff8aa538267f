import AzdoCredential
import AzdoSystem
import AzdoTestSupport
import Foundation
import Testing

/// `pat import` of the built executable: a PAT made in the web UI, read from stdin, checked
/// against the emulator's `_apis/connectionData` before it is stored.
@Suite("pat import against the emulator", .privateKeyring)
struct PATImportCLITests {
    @Test("a PAT the organization rejects is refused and nothing is stored")
    func badPATRefused() throws {
        let organization = uniqueOrganization("import")
        let world = try EmulatorWorld(repositories: [])
        let result = try world.cli(["pat", "import", "--org", organization], input: "notAPATtheEmulatorIssued\n")
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines == [
            "git-credential-azdo: Azure DevOps refused this PAT for \(organization) (HTTP 401); check that it was "
                + "made for this organization with the Code scope and is neither expired nor revoked; nothing was stored"
        ])
        #expect(try world.stored(organization).isEmpty)
    }

    @Test("bad input: nothing on stdin, spaces inside, a bad or past date; one line each, nothing stored")
    func badInput() throws {
        let organization = uniqueOrganization("import")
        let world = try EmulatorWorld(repositories: [])
        let cases: [([String], String, String)] = [
            ([], "", "no PAT on stdin"),
            ([], "two words\n", "the input is not a PAT"),
            (["--expires", "2026-02-30"], "abc\n", "--expires 2026-02-30 is not a date; give it as YYYY-MM-DD"),
            (["--expires", "2001-01-01"], "abc\n", "--expires 2001-01-01 is in the past"),
        ]
        for (arguments, input, expected) in cases {
            let result = try world.cli(["pat", "import", "--org", organization] + arguments, input: input)
            #expect(result.status == 1)
            #expect(result.errorLines.count == 1)
            #expect(result.standardError.contains(expected), "\(result.standardError)")
        }
        #expect(try world.stored(organization).isEmpty)
    }

    @Test("a working PAT is stored with its expiry, replaces a typed one, and git uses it silently")
    func goodPATStored() async throws {
        let organization = uniqueOrganization("import")
        let repository = "\(organization)/p/_git/r"
        let world = try EmulatorWorld(repositories: [repository])
        // A PAT "made in the web UI": created through the API, then dropped from the keyring.
        try await world.signInAndCreate(organization)
        let made = try #require(world.stored(organization).first)
        let erase = try world.sandbox.helper(
            "erase", "protocol=http\nhost=\(world.server.host)\npath=\(repository)\nusername=\(organization)\n\n")
        #expect(erase.status == 0)
        let typed = try world.sandbox.helper(
            "store",
            "protocol=http\nhost=\(world.server.host)\npath=\(repository)\nusername=\(organization)\npassword=oldTypedPAT\n\n")
        #expect(typed.status == 0)
        #expect(try world.stored(organization).map(\.credential.metadata.source) == [.typed])

        let result = try world.cli(
            ["pat", "import", "--org", organization, "--expires", "2099-12-31"], input: made.credential.secret.value + "\n")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "\(organization): the PAT works and is stored; git will use it\n")
        let stored = try world.stored(organization)
        #expect(stored.count == 1)
        #expect(stored.first?.credential.secret == made.credential.secret)
        #expect(stored.first?.credential.metadata.source == .imported)
        #expect(stored.first?.credential.metadata.validTo == CivilDate.unixSeconds(from: "2099-12-31"))

        let clone = try world.sandbox.git(["clone", "-q", "http://\(world.server.host)/\(repository)", "work"])
        #expect(clone.status == 0, "\(clone.standardError)")
        #expect(world.sandbox.promptCount == 0)

        let again = try world.cli(["pat", "import", "--org", organization], input: made.credential.secret.value)
        #expect(again.standardOutput == "\(organization): this PAT is already stored\n")
        #expect(try world.stored(organization).count == 1)
    }
}
