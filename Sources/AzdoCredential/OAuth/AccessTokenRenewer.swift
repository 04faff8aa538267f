public import AzdoSystem

/// Renews an organization's access token when the keyring has no usable one.
public protocol AccessTokenRenewer: Sendable {
    /// A usable token (renewed now, or by another process a moment ago); nil after the
    /// renewer has reported why on stderr, in one line.
    func renew(server: String, organization: String) -> CachedAccessToken?
}

/// Renews through `git-credential-azdo-lifecycle access-token`, which holds the network
/// stack the helper does without (see `HelperProgram+Keyring`). The child redeems the
/// refresh token under a lock, caches the new token in the keyring and prints it on the
/// pipe to this process: never in arguments, the environment or a file.
public struct LifecycleAccessTokenRenewer: AccessTokenRenewer {
    private let executable: String

    /// Renews with the lifecycle executable at `executable`.
    public init(executable: String = InstalledExecutable.lifecycle) {
        self.executable = executable
    }

    /// Runs the child; its stderr is the person's, its stdout the token.
    public func renew(server: String, organization: String) -> CachedAccessToken? {
        guard
            let output = ChildProcess.output(
                of: [executable, "access-token", "--server", server, "--org", organization], keepingStandardError: true)
        else { return nil }
        return Self.parse(output, server: server, organization: organization)
    }

    /// The child's answer: `account=`, `expires_at=` and `token=` lines.
    static func parse(_ output: String, server: String, organization: String) -> CachedAccessToken? {
        var fields: [Substring: Substring] = [:]
        for line in output.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[line[..<equals]] = line[line.index(after: equals)...]
        }
        guard let token = fields["token"], !token.isEmpty, let expiresAt = fields["expires_at"].flatMap({ Int64($0) })
        else { return nil }
        return CachedAccessToken(
            server: server, organization: organization, account: String(fields["account"] ?? ""),
            token: Secret(String(token)), expiresAt: expiresAt)
    }

    /// The lines the lifecycle executable prints for `token`.
    public static func answer(for token: CachedAccessToken) -> String {
        "account=\(token.account)\nexpires_at=\(token.expiresAt)\ntoken=\(token.token.value)\n"
    }
}
