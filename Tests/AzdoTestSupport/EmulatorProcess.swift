public import AzdoHTTP
import AzdoNetwork
public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The `azdo-emulator` executable on loopback, serving the APIs and, for `repositories`
/// ("org/project/_git/repo", created empty), git smart HTTP. Killed by PID when released.
public final class EmulatorProcess: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String
    /// `127.0.0.1:PORT`, as git sends it in `host=`.
    public let host: String
    private let process = Process()

    /// Starts the emulator.
    public init(repositories: [String]) throws {
        let directory = try TestPaths.temporaryDirectory("emulator")
        let portFile = directory.appendingPathComponent("port")
        var arguments = ["--port-file", portFile.path]
        if !repositories.isEmpty {
            let root = directory.appendingPathComponent("git")
            for repository in repositories {
                let result = try ProcessRunner.run(
                    command: "git", ["init", "-q", "--bare", "-b", "main", root.appendingPathComponent(repository).path])
                guard result.status == 0 else { throw GitServerError.setup(result.standardError) }
            }
            arguments += ["--git-root", root.path]
        }
        process.executableURL = TestPaths.productsDirectory.appendingPathComponent("azdo-emulator")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let port = try ServerPort.wait(for: portFile, of: process, name: "the emulator")
        host = "127.0.0.1:\(port)"
        baseURL = "http://\(host)"
    }

    /// Calls the control endpoint `_emulator/PATH_AND_QUERY` (`approve?user_code=…`,
    /// `fault?kind=…`, `git-log`, …) and returns the answer, whatever its status.
    public func control(_ method: String, _ pathAndQuery: String, body: Data? = nil) async throws -> HTTPResponse {
        try await CurlTransport(environment: [:], timeoutSeconds: 10)
            .send(HTTPRequest(method: method, url: "\(baseURL)/_emulator/\(pathAndQuery)", body: body))
    }

    /// The emulator's log of git requests (`_emulator/git-log`), oldest first: each one's
    /// organization, the organization of the PAT it carried (nil: none, or unknown), and
    /// whether it was let in, and whether it carried an Entra access token.
    public func gitLog() async throws
        -> [(organization: String, tokenOrganization: String?, accepted: Bool, entra: Bool)]
    {
        let body = try await control("GET", "git-log").body
        struct Entry: Decodable {
            var organization: String
            var tokenOrganization: String?
            var accepted: Bool
            var entra: Bool
        }
        return try String(decoding: body, as: UTF8.self).split(separator: "\n").map { line in
            let entry = try JSONDecoder().decode(Entry.self, from: Data(line.utf8))
            return (entry.organization, entry.tokenOrganization, entry.accepted, entry.entra)
        }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
