public import Foundation

/// A throwaway HOME with its own global git config that uses the built helper, and an
/// askpass program that answers git's prompts from files and records that it was asked.
public struct GitSandbox: Sendable {
    /// The sandbox directory (also HOME).
    public let home: URL

    /// Creates a sandbox whose global config sets the helper, `useHttpPath`, and `extraHosts`.
    public init(extraHosts: [String], useHttpPath: Bool = true) throws {
        home = try TestPaths.temporaryDirectory("git-home")
        var config = """
            [user]
            \tname = Test
            \temail = test@example.com
            [init]
            \tdefaultBranch = main
            [credential]
            \thelper =
            \thelper = \(TestPaths.helper.path)
            \tuseHttpPath = \(useHttpPath)
            [protocol]
            \tversion = 2

            """
        for host in extraHosts { config += "[azdo]\n\textraHost = \(host)\n" }
        try config.write(to: home.appendingPathComponent(".gitconfig"), atomically: true, encoding: .utf8)
        let askpass = home.appendingPathComponent("askpass.sh")
        try """
            #!/bin/sh
            echo "$1" >> "\(home.path)/askpass.log"
            case "$1" in
              Username*) cat "\(home.path)/askpass-username" ;;
              *) cat "\(home.path)/askpass-password" ;;
            esac

            """.write(to: askpass, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: askpass.path)
    }

    /// Sets what the askpass program answers at git's username and password prompts.
    public func answerPrompts(username: String, password: String) throws {
        try username.write(to: home.appendingPathComponent("askpass-username"), atomically: true, encoding: .utf8)
        try password.write(to: home.appendingPathComponent("askpass-password"), atomically: true, encoding: .utf8)
    }

    /// How many times git has prompted so far.
    public var promptCount: Int {
        let log = (try? String(contentsOf: home.appendingPathComponent("askpass.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").count
    }

    /// The environment for git: the sandbox HOME, no system config, no terminal prompt.
    public var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("GIT_") && key != "GIT_CREDENTIAL_AZDO_TEST_KEYRING" {
            environment[key] = nil
        }
        // No browser: `login` signs in by device code unless a test names one in BROWSER.
        for key in ["BROWSER", "DISPLAY", "WAYLAND_DISPLAY", "WSL_DISTRO_NAME"] { environment[key] = nil }
        environment["HOME"] = home.path
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent(".config").path
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_ASKPASS"] = home.appendingPathComponent("askpass.sh").path
        return environment
    }

    /// Runs `git` with `arguments` in `directory` (default: the sandbox).
    public func git(_ arguments: [String], in directory: URL? = nil, input: String = "") throws -> ProcessResult {
        try ProcessRunner.run(
            command: "git", arguments, input: input, environment: environment, directory: directory ?? home)
    }

    /// Runs the helper with `action` on `input` in the sandbox environment.
    public func helper(_ action: String, _ input: String) throws -> ProcessResult {
        try ProcessRunner.run(TestPaths.helper, [action], input: input, environment: environment)
    }
}
