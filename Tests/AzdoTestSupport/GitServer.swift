import AzdoHTTP
import Foundation

/// Azure Repos on loopback for git: the `azdo-emulator` executable serving empty bare
/// repositories, where each organization accepts the one token a test gives it (as a PAT
/// made in the web UI), and which logs which organization every presented token belongs to.
public final class GitServer: Sendable {
    /// The server's base URL, `http://127.0.0.1:PORT`.
    public var baseURL: String { emulator.baseURL }
    /// `127.0.0.1:PORT`, as git sends it in `host=`.
    public var host: String { emulator.host }
    private let emulator: EmulatorProcess

    /// Starts a server with empty bare repositories at `repositories` ("org/project/_git/repo").
    public init(repositories: [String]) throws {
        emulator = try EmulatorProcess(repositories: repositories)
    }

    /// Makes `token` the only valid token of `organization` (others keep theirs); nil
    /// leaves it none.
    public func setToken(_ token: String?, for organization: String) async throws {
        let answer = try await emulator.control("POST", "pat?org=\(organization)", body: Data((token ?? "").utf8))
        guard answer.status == 200 else { throw GitServerError.setup("the emulator refused the token: \(answer.status)") }
    }

    /// One line per git request so far: `result=ok|fail path-org=ORG token-org=ORG|unknown`,
    /// naming the organization of the token presented, never the token.
    public func authLog() async -> [String] {
        ((try? await emulator.gitLog()) ?? []).map { access in
            "result=\(access.accepted ? "ok" : "fail") path-org=\(access.organization) "
                + "token-org=\(access.tokenOrganization ?? "unknown")"
        }
    }

    /// The URL of `repository` ("org/project/_git/repo"), optionally with a user name.
    public func url(_ repository: String, user: String? = nil) -> String {
        "http://\(user.map { "\($0)@" } ?? "")\(host)/\(repository)"
    }
}

/// Why a test server could not start.
public enum GitServerError: Error {
    /// Setting the server up failed; the text says how.
    case setup(String)
}
