/// Reads git config values together with where each came from (`git config --show-scope`),
/// so callers can trust only the user's global or system config, never a repository's.
public enum UserGitConfig {
    /// Every `(scope, value)` of `key`, in git's order; empty when unset or git is missing.
    public static func scopedValues(_ key: String) -> [(scope: String, value: String)] {
        guard let output = ChildProcess.output(of: ["git", "config", "--show-scope", "--get-all", key]) else {
            return []
        }
        return output.split(separator: "\n").compactMap { line in
            guard let tab = line.firstIndex(of: "\t") else { return nil }
            return (String(line[..<tab]), String(line[tab...].dropFirst()))
        }
    }

    /// The last value of `key` from global or system config, or `nil`.
    public static func value(_ key: String) -> String? {
        scopedValues(key).last { isUserScope($0.scope) }?.value
    }

    /// Whether values from `scope` are the user's own (global or system), not a repository's
    /// (`local`, `worktree`) or a single command's (`command`).
    public static func isUserScope(_ scope: String) -> Bool {
        scope == "global" || scope == "system"
    }
}
