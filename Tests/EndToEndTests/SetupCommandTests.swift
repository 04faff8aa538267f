import AzdoTestSupport
import Foundation
import Testing

/// `configure` and `unconfigure` of the built helper against real git config files.
@Suite("configure and unconfigure")
struct SetupCommandTests {
    let home: URL
    var environment: [String: String]

    init() throws {
        home = try TestPaths.temporaryDirectory("setup")
        environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("GIT_") && !key.hasPrefix("GIT_CREDENTIAL_AZDO_TEST") {
            environment[key] = nil
        }
        environment["HOME"] = home.path
        environment["XDG_CONFIG_HOME"] = nil
        environment["GIT_CONFIG_SYSTEM"] = home.appendingPathComponent("system-gitconfig").path
        environment["GIT_TERMINAL_PROMPT"] = "0"
        // The user's own settings, which configure must keep and unconfigure must restore.
        try "[user]\n\tname = Someone\n[credential]\n\thelper = store\n"
            .write(to: home.appendingPathComponent(".gitconfig"), atomically: true, encoding: .utf8)
    }

    func run(_ arguments: [String], command: String? = nil, input: String = "") throws -> ProcessResult {
        if let command { return try ProcessRunner.run(command: command, arguments, input: input, environment: environment) }
        return try ProcessRunner.run(TestPaths.helper, arguments, input: input, environment: environment)
    }

    /// The helpers git runs for `url`, from GIT_TRACE.
    func helpersRun(for url: String) throws -> [String] {
        var traced = environment
        traced["GIT_TRACE"] = "1"
        let host = url.split(separator: "/")[1]
        let fill = try ProcessRunner.run(
            command: "git", ["credential", "fill"], input: "protocol=https\nhost=\(host)\npath=contoso/p\n\n",
            environment: traced)
        return fill.errorLines.filter { $0.contains("run_command:") }.map { line in
            String(line[line.range(of: "run_command: ")!.upperBound...])
        }
    }

    @Test("configure asks only this helper for Azure DevOps, is idempotent, and unconfigure restores the config exactly")
    func globalRoundTrip() throws {
        let before = try run(["config", "--global", "--list"], command: "git").standardOutput
        let include = home.appendingPathComponent(".config/git-credential-azdo/gitconfig").path

        let configure = try run(["configure"])
        #expect(configure.status == 0, "\(configure.standardError)")
        #expect(configure.standardOutput == "configured: git now asks git-credential-azdo for Azure DevOps\n")
        #expect(try run(["config", "--global", "--get-all", "include.path"], command: "git").standardOutput == include + "\n")
        let text = try String(contentsOfFile: include, encoding: .utf8)
        #expect(text.contains("[credential \"https://dev.azure.com\"]\n\thelper =\n\thelper = \(TestPaths.helper.path)\n\tuseHttpPath = true\n"))
        #expect(text.contains("[credential \"https://*.visualstudio.com\"]\n\thelper =\n\thelper = \(TestPaths.helper.path)\n"))

        #expect(try helpersRun(for: "https://dev.azure.com/contoso") == ["'\(TestPaths.helper.path) get'"])
        #expect(try helpersRun(for: "https://contoso.visualstudio.com/p") == ["'\(TestPaths.helper.path) get'"])
        #expect(try helpersRun(for: "https://github.com/x") == ["'git credential-store get'"])
        let useHttpPath = try run(
            ["config", "--get-urlmatch", "credential.useHttpPath", "https://dev.azure.com/contoso"], command: "git")
        #expect(useHttpPath.standardOutput == "true\n")

        let again = try run(["configure"])
        #expect(again.standardOutput == "already configured\n")
        #expect(try run(["config", "--global", "--get-all", "include.path"], command: "git").standardOutput == include + "\n")

        let unconfigure = try run(["unconfigure"])
        #expect(unconfigure.status == 0)
        #expect(unconfigure.standardOutput == "unconfigured: git no longer asks git-credential-azdo\n")
        #expect(try run(["config", "--global", "--list"], command: "git").standardOutput == before)
        #expect(!FileManager.default.fileExists(atPath: include))
        #expect(try String(contentsOf: home.appendingPathComponent(".gitconfig"), encoding: .utf8)
            == "[user]\n\tname = Someone\n[credential]\n\thelper = store\n")
        #expect(try run(["unconfigure"]).standardOutput == "nothing to remove\n")
    }

    @Test("unconfigure keeps the user's own includes and helpers for Azure DevOps")
    func keepsUserEntries() throws {
        #expect(try run(["config", "--global", "--add", "include.path", "~/.gitconfig-work"], command: "git").status == 0)
        #expect(try run(["configure"]).status == 0)
        #expect(try run(["config", "--global", "--add", "credential.https://dev.azure.com.helper", "mine"], command: "git")
            .status == 0)
        #expect(try run(["unconfigure"]).status == 0)
        #expect(try run(["config", "--global", "--get-all", "include.path"], command: "git").standardOutput
            == "~/.gitconfig-work\n")
        #expect(try run(["config", "--global", "--get-all", "credential.https://dev.azure.com.helper"], command: "git")
            .standardOutput == "mine\n")
    }

    @Test("--system configures the system config file, next to which its entries live")
    func system() throws {
        let include = home.appendingPathComponent("git-credential-azdo.gitconfig").path
        #expect(try run(["configure", "--system"]).status == 0)
        #expect(try run(["config", "--system", "--get-all", "include.path"], command: "git").standardOutput == include + "\n")
        #expect(try run(["config", "--global", "--get-all", "include.path"], command: "git").status != 0)
        // System config comes before the user's, so the user's own global helper is still
        // asked, after this one (git's order; `configure` without --system avoids it).
        #expect(try helpersRun(for: "https://dev.azure.com/contoso")
            == ["'\(TestPaths.helper.path) get'", "'git credential-store get'"])
        #expect(try run(["unconfigure", "--system"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: include))
        #expect(try run(["config", "--system", "--list"], command: "git").standardOutput.isEmpty)
    }
}
