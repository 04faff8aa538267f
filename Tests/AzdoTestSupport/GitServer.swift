import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A loopback git smart-HTTP server (Tests/Support/git-http-server.py) that accepts, for
/// each organization, only the tokens listed for it, and logs which organization every
/// presented token belongs to.
public final class GitServer: @unchecked Sendable {
    /// The server's base URL, `http://127.0.0.1:PORT`.
    public let baseURL: String
    /// `127.0.0.1:PORT`, as git sends it in `host=`.
    public let host: String
    private let directory: URL
    private let process: Process

    /// Starts a server with empty bare repositories at `repositories` ("org/project/_git/repo").
    public init(repositories: [String]) throws {
        directory = try TestPaths.temporaryDirectory("git-server")
        for repository in repositories {
            let path = directory.appendingPathComponent("root/\(repository)").path
            let result = try ProcessRunner.run(command: "git", ["init", "-q", "--bare", "-b", "main", path])
            guard result.status == 0 else { throw GitServerError.setup(result.standardError) }
        }
        try Data().write(to: directory.appendingPathComponent("tokens"))
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", TestPaths.supportScript("git-http-server.py").path,
            "--root", directory.appendingPathComponent("root").path,
            "--tokens", directory.appendingPathComponent("tokens").path,
            "--log", directory.appendingPathComponent("auth.log").path,
            "--port-file", directory.appendingPathComponent("port").path,
        ]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let portFile = directory.appendingPathComponent("port")
        let port = try ServerPort.wait(for: portFile, of: process, name: "the git server")
        host = "127.0.0.1:\(port)"
        baseURL = "http://\(host)"
    }

    deinit { stop() }

    /// Kills the server and waits for it. SIGKILL, because a child of the test runner may
    /// inherit a signal mask that blocks SIGTERM, and the server holds nothing to flush.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Makes `token` the only valid token of `organization` (others keep theirs).
    public func setToken(_ token: String?, for organization: String) throws {
        var lines = try String(contentsOf: tokensFile, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("\(organization) ") }.map(String.init)
        if let token { lines.append("\(organization) \(token)") }
        try (lines.joined(separator: "\n") + "\n").write(to: tokensFile, atomically: true, encoding: .utf8)
    }

    /// Every `AUTH …` line logged so far.
    public func authLog() -> [String] {
        let text = (try? String(contentsOf: directory.appendingPathComponent("auth.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// The URL of `repository` ("org/project/_git/repo"), optionally with a user name.
    public func url(_ repository: String, user: String? = nil) -> String {
        "http://\(user.map { "\($0)@" } ?? "")\(host)/\(repository)"
    }

    private var tokensFile: URL { directory.appendingPathComponent("tokens") }
}

/// Why a test server could not start.
public enum GitServerError: Error {
    /// Setting the server up failed; the text says how.
    case setup(String)
}
