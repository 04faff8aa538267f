import AzdoTestSupport
import Foundation
import Testing

/// `login --azure-cli` against the emulator, with `Tests/Support/fake-az.py` on PATH as
/// `az`: it signs in to the emulator and prints the token as the Azure CLI does.
@Suite("login with the Azure CLI's sign-in", .privateKeyring, .notificationService)
struct AzureCLILoginTests {
    /// A world whose PATH starts with a directory holding `az`, logging its arguments.
    func world(mode: String = "signed-in") throws -> (world: EmulatorWorld, log: URL) {
        var world = try EmulatorWorld(repositories: [])
        let bin = world.sandbox.home.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: bin.appendingPathComponent("az"), withDestinationURL: TestPaths.supportScript("fake-az.py"))
        let log = world.sandbox.home.appendingPathComponent("az-calls.txt")
        world.environment["PATH"] = bin.path + ":" + (world.environment["PATH"] ?? "/usr/bin:/bin")
        world.environment["FAKE_AZ_LOG"] = log.path
        world.environment["FAKE_AZ_MODE"] = mode
        return (world, log)
    }

    func calls(_ log: URL) -> [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func globalSignIn(_ world: EmulatorWorld) throws -> String {
        try world.sandbox.git(["config", "--global", "--includes", "azdo.signIn"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("login --azure-cli checks az, records azdo.signIn; pat create and the refresher then sign in through az")
    func chosen() async throws {
        let organization = uniqueOrganization("azcli")
        let (world, log) = try world()
        let login = try world.cli(["login", "--azure-cli"])
        #expect(login.status == 0, "\(login.standardError)")
        #expect(login.standardOutput.isEmpty)
        #expect(login.errorLines.count == 1)
        #expect(login.standardError.contains("the Azure CLI gave a token for Azure DevOps"))
        #expect(try globalSignIn(world) == "azure-cli")
        let settings = world.sandbox.home.appendingPathComponent(".config/git-credential-azdo/settings")
        #expect(try String(contentsOf: settings, encoding: .utf8).contains("signIn = azure-cli"))
        let tenant = try #require(world.environment["GIT_CREDENTIAL_AZDO_TENANT"])
        #expect(calls(log) == [
            "account get-access-token --resource 499b84ac-1321-427f-aa17-267ca6975798 --output json --tenant \(tenant)"
        ])

        // No refresh token was ever stored: this create can only have signed in through az.
        try await world.createPAT(organization, daysLeft: 5)
        #expect(calls(log).count == 2)
        let refresh = try world.cli(["refresh"])
        #expect(refresh.status == 0, "\(refresh.standardError)")
        #expect(refresh.standardError.contains("\(organization): renewed; the new PAT"), "\(refresh.standardError)")
        #expect(calls(log).count == 3)
    }

    @Test("with az signed out, login --azure-cli fails in one line and records nothing")
    func signedOut() throws {
        let (world, log) = try world(mode: "signed-out")
        let login = try world.cli(["login", "--azure-cli"])
        #expect(login.status == 1)
        #expect(login.standardOutput.isEmpty)
        #expect(login.errorLines == [
            "git-credential-azdo: the Azure CLI gave no token (`az account get-access-token` failed or is not installed); "
                + "run `az login`, or `git credential-azdo login`"
        ])
        #expect(calls(log).count == 1)
        #expect(try globalSignIn(world).isEmpty)
        #expect(try world.sandbox.git(["config", "--global", "--get-all", "include.path"]).standardOutput.isEmpty)
    }

    @Test("a later device-code login replaces the Azure CLI's sign-in: azdo.signIn is removed, az is not asked again")
    func replacedByLogin() async throws {
        let (world, log) = try world()
        #expect(try world.cli(["login", "--azure-cli"]).status == 0)
        #expect(try globalSignIn(world) == "azure-cli")
        let login = try await world.login(["--device-code"])
        #expect(login.status == 0, "\(login.standardError)")
        #expect(try globalSignIn(world).isEmpty)
        #expect(try world.cli(["pat", "create", "--org", uniqueOrganization("after")]).status == 0)
        #expect(calls(log).count == 1)
    }

    @Test("--azure-cli excludes --browser and --device-code")
    func exclusive() throws {
        let (world, log) = try world()
        let both = try world.cli(["login", "--azure-cli", "--device-code"])
        #expect(both.status == 64)
        #expect(both.standardError.contains("--browser, --device-code and --azure-cli exclude each other"))
        #expect(calls(log).isEmpty)
    }

    @Test("an unknown azdo.signIn is named in one line and the stored sign-in is used")
    func unknownValue() async throws {
        let (world, log) = try world()
        #expect(try await world.login(["--device-code"]).status == 0)
        #expect(try world.sandbox.git(["config", "--global", "azdo.signIn", "az-cli"]).status == 0)
        let create = try world.cli(["pat", "create", "--org", uniqueOrganization("typo")])
        #expect(create.status == 0, "\(create.standardError)")
        #expect(create.errorLines == [
            "git-credential-azdo: ignoring azdo.signIn=az-cli: it is `entra` or `azure-cli` (git config --global azdo.signIn entra)"
        ])
        #expect(calls(log).isEmpty)
    }
}
