import AzdoSystem
import AzdoTestSupport
import Foundation
import Testing

/// A home, a system file and a repository in a temporary directory, and the environment
/// git and the scan see for them.
private struct ConfigWorld {
    let root: URL
    var environment: [String: String]

    init() throws {
        root = try TestPaths.temporaryDirectory("config-scan")
        for directory in ["home", "etc", "repo/src/deep"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        _ = try ProcessRunner.run(command: "git", ["init", "-q", root.appendingPathComponent("repo").path])
        environment = ["HOME": root.appendingPathComponent("home").path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    func write(_ relative: String, _ text: String) throws {
        try text.write(toFile: path(relative), atomically: true, encoding: .utf8)
    }

    /// The scan as the helper would run it from `directory` (relative to the root).
    func scan(from directory: String = "repo/src/deep") -> Bool {
        let environment = environment
        return GitConfigScan(
            environment: { environment[$0] }, workingDirectory: path(directory), systemFile: path("etc/gitconfig")
        ).mayContain(variable: "extrahost")
    }

    /// The fingerprint of what git would read from `directory`.
    func fingerprint(from directory: String = "repo/src/deep") -> String? {
        let environment = environment
        return GitConfigScan(
            environment: { environment[$0] }, workingDirectory: path(directory), systemFile: path("etc/gitconfig")
        ).fingerprint()
    }

    /// What git itself answers for `azdo.extraHost` from `directory`, with the same files
    /// (git's compiled-in system file is swapped for ours with GIT_CONFIG_SYSTEM).
    func gitValues(from directory: String = "repo/src/deep") throws -> [String] {
        var gitEnvironment = environment
        if gitEnvironment["GIT_CONFIG_SYSTEM"] == nil { gitEnvironment["GIT_CONFIG_SYSTEM"] = path("etc/gitconfig") }
        let result = try ProcessRunner.run(
            command: "git", ["config", "--get-all", "azdo.extraHost"], environment: gitEnvironment,
            directory: root.appendingPathComponent(directory))
        return result.standardOutput.split(separator: "\n").map(String.init)
    }
}

@Suite("Scanning git's config files for a variable without running git")
struct GitConfigScanTests {
    @Test("nothing configured: certainly unset, and git agrees")
    func nothingConfigured() throws {
        let world = try ConfigWorld()
        try world.write("home/.gitconfig", "[user]\n\tname = Someone\n[credential]\n\thelper = azdo\n")
        #expect(!world.scan())
        #expect(try world.gitValues().isEmpty)
    }

    @Test("each place git reads the variable from is found", arguments: [
        ("home/.gitconfig", "[azdo]\n\textraHost = git.example.com\n"),
        ("home/.gitconfig", "[AZDO] EXTRAHOST=git.example.com\n"),
        ("home/.config/git/config", "[azdo]\n\textrahost = git.example.com\n"),
        ("etc/gitconfig", "[azdo]\n\textraHost = git.example.com\n"),
        ("repo/.git/config", "[azdo]\n\textraHost = git.example.com\n"),
    ])
    func directMentions(file: String, text: String) throws {
        let world = try ConfigWorld()
        try FileManager.default.createDirectory(
            atPath: (world.path(file) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try world.write(file, text)
        #expect(world.scan())
        #expect(try world.gitValues() == ["git.example.com"])
    }

    @Test("includes are followed: relative, ~/, quoted, conditional, nested; a cycle ends")
    func includes() throws {
        let world = try ConfigWorld()
        try world.write(
            "home/.gitconfig",
            "[include]\n\tpath = \"inc/first\" ; a comment\n[includeIf \"gitdir:~/nowhere/\"]\n\tpath = ~/cond\n")
        try FileManager.default.createDirectory(atPath: world.path("home/inc"), withIntermediateDirectories: true)
        try world.write("home/inc/first", "[include] path = second\n")
        try world.write("home/inc/second", "[include]\n\tpath = ../cond-free\n[user]\n\temail = a@b\n")
        try world.write("home/cond", "[core]\n\teditor = vi\n")
        #expect(!world.scan())
        #expect(try world.gitValues().isEmpty)

        try world.write("home/inc/second", "[include]\n\tpath = ../cond-free\n[azdo]\n\textraHost = nested.example\n")
        #expect(world.scan())
        #expect(try world.gitValues() == ["nested.example"])

        try world.write("home/inc/second", "[user]\n\temail = a@b\n")
        try world.write("home/cond", "[azdo]\n\textraHost = conditional.example\n")
        // git skips the conditional include here; the scan follows every include, so it
        // can only say "maybe" too often, never too rarely.
        #expect(world.scan())
        #expect(try world.gitValues().isEmpty)

        // git refuses a cycle outright; the scan reads each file once and ends.
        try world.write("home/cond", "[include]\n\tpath = .gitconfig\n")
        #expect(!world.scan())
    }

    @Test("config passed in the environment is read, and GIT_CONFIG_NOSYSTEM is honoured")
    func environmentConfig() throws {
        var world = try ConfigWorld()
        world.environment["GIT_CONFIG_COUNT"] = "1"
        world.environment["GIT_CONFIG_KEY_0"] = "azdo.extraHost"
        world.environment["GIT_CONFIG_VALUE_0"] = "env.example"
        #expect(world.scan())
        #expect(try world.gitValues() == ["env.example"])

        world.environment = ["HOME": world.path("home"), "GIT_CONFIG_PARAMETERS": "'azdo.extrahost'='param.example'"]
        #expect(world.scan())

        world.environment = ["HOME": world.path("home"), "GIT_CONFIG_NOSYSTEM": "1"]
        try world.write("etc/gitconfig", "[azdo]\n\textraHost = system.example\n")
        #expect(!world.scan())
        #expect(try world.gitValues().isEmpty)
        world.environment["GIT_CONFIG_NOSYSTEM"] = "0"
        #expect(world.scan())
        #expect(try world.gitValues() == ["system.example"])
    }

    @Test("what the scan cannot be sure of is a maybe: escapes in an include path, a .git file, GIT_CONFIG, a relative GIT_DIR")
    func unsure() throws {
        var world = try ConfigWorld()
        try world.write("home/.gitconfig", "[include]\n\tpath = odd\\\\name\n")
        #expect(world.scan())

        world = try ConfigWorld()
        try FileManager.default.createDirectory(atPath: world.path("worktree"), withIntermediateDirectories: true)
        try world.write("worktree/.git", "gitdir: ../repo/.git\n")
        #expect(world.scan(from: "worktree"))
        #expect(!world.scan(from: "repo"))

        world.environment["GIT_CONFIG"] = world.path("elsewhere")
        #expect(world.scan())
        world.environment["GIT_CONFIG"] = nil

        world.environment["GIT_DIR"] = "relative/.git"
        #expect(world.scan())
        world.environment["GIT_DIR"] = nil
        world.environment["GIT_CONFIG_COUNT"] = "1001"
        #expect(world.scan())
    }

    @Test("the fingerprint changes with any file git reads, an include's too, and the repository; none with includeIf")
    func fingerprint() throws {
        var world = try ConfigWorld()
        try world.write("home/.gitconfig", "[include]\n\tpath = extra.gitconfig\n")
        try world.write("home/extra.gitconfig", "[azdo]\n\tcredentialType = oauth\n")
        let first = try #require(world.fingerprint())
        #expect(world.fingerprint() == first)
        try world.write("home/extra.gitconfig", "[azdo]\n\tcredentialType = pat\n")
        let second = try #require(world.fingerprint())
        #expect(second != first, "an included file changed")
        #expect(world.fingerprint(from: "etc") != second, "outside the repository, its config is not read")
        try world.write("repo/.git/config", "[core]\n\tbare = false\n")
        #expect(world.fingerprint() != second, "the repository's config changed")
        try world.write("home/.gitconfig", "[includeIf \"gitdir:~/work/\"]\n\tpath = extra.gitconfig\n")
        #expect(world.fingerprint() == nil)
        try world.write("home/.gitconfig", "")
        world.environment["GIT_CONFIG_PARAMETERS"] = "'azdo.credentialtype'='oauth'"
        #expect(world.fingerprint() == nil)
    }
}
