/// Reads git config values together with where each came from (`git config --show-scope`),
/// so callers can trust only the user's global or system config, never a repository's.
public enum UserGitConfig {
    /// Every `(scope, value)` of `key`, in git's order; empty when unset or git is missing.
    public static func scopedValues(_ key: String) -> [(scope: String, value: String)] {
        parseValues(ChildProcess.output(of: valueArguments(key)) ?? "")
    }

    /// The `git config` command `scopedValues(_:)` runs.
    public static func valueArguments(_ key: String) -> [String] {
        ["git", "config", "--show-scope", "--get-all", key]
    }

    /// The `(scope, value)` pairs in `git config --show-scope --get-all`'s output.
    public static func parseValues(_ output: String) -> [(scope: String, value: String)] {
        output.split(separator: "\n").compactMap { line in
            guard let tab = line.firstIndex(of: "\t") else { return nil }
            return (String(line[..<tab]), String(line[tab...].dropFirst()))
        }
    }

    /// Every `(key, value)` from global or system config whose key matches the extended
    /// regular expression `pattern`, in git's order; one `git` run for many keys. Section
    /// and variable names come back lower-cased, subsections as written.
    public static func userEntries(matching pattern: String) -> [(key: String, value: String)] {
        scopedEntries(matching: pattern).compactMap { isUserScope($0.scope) ? ($0.key, $0.value) : nil }
    }

    /// Every `(scope, key, value)` whose key matches `pattern`, from every scope git reads,
    /// for callers that warn about what they ignore.
    public static func scopedEntries(matching pattern: String) -> [(scope: String, key: String, value: String)] {
        startScopedEntries(matching: pattern)()
    }

    /// `scopedEntries(matching:)` with git started now and its answer read when the returned
    /// function is called, so the caller can work while git runs.
    public static func startScopedEntries(matching pattern: String)
        -> () -> [(scope: String, key: String, value: String)]
    {
        let pending = ChildProcess.startOutput(of: arguments(matching: pattern))
        return { parse(pending.wait() ?? "") }
    }

    /// The `git config` command `scopedEntries(matching:)` runs.
    public static func arguments(matching pattern: String) -> [String] {
        ["git", "config", "--show-scope", "--get-regexp", pattern]
    }

    /// The entries in `git config --show-scope --get-regexp`'s output.
    public static func parse(_ output: String) -> [(scope: String, key: String, value: String)] {
        output.split(separator: "\n").compactMap { line in
            guard let tab = line.firstIndex(of: "\t") else { return nil }
            let scope = String(line[..<tab])
            let entry = line[line.index(after: tab)...]
            guard let space = entry.firstIndex(of: " ") else { return (scope, String(entry), "") }
            return (scope, String(entry[..<space]), String(entry[entry.index(after: space)...]))
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
