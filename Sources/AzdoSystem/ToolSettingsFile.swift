/// The git config file where the tool writes choices it makes for the user (`login
/// --azure-cli` choosing the Azure CLI's sign-in), included from the user's global config
/// with one `include.path` line, so that `git config --global --list` shows them, every
/// reader sees them as global settings, and the user's own `~/.gitconfig` is never
/// rewritten. A repository's config cannot reach it.
public struct ToolSettingsFile: Sendable {
    /// The file's path.
    public let path: String

    /// The file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// `$XDG_CONFIG_HOME/git-credential-azdo/settings` (default `~/.config/...`); nil
    /// without a home.
    public static func user() -> ToolSettingsFile? {
        UserDirectories.config("git-credential-azdo/settings").map(ToolSettingsFile.init(path:))
    }

    /// Sets `key` to `value` in the file and includes the file from global config if it is
    /// not included yet.
    public func set(_ key: String, _ value: String) throws(ToolSettingsError) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        guard StateDirectory.create(directory) else { throw .cannotWrite(path: directory) }
        guard ChildProcess.output(of: ["git", "config", "--file", path, key, value]) != nil else {
            throw .cannotWrite(path: path)
        }
        if ChildProcess.output(of: ["git", "config", "--global", "--fixed-value", "--get-all", "include.path", path]) == nil,
            ChildProcess.output(of: ["git", "config", "--global", "--add", "include.path", path]) == nil
        {
            throw .cannotInclude(path: path)
        }
    }

    /// Removes `key` from the file; true when it was there.
    @discardableResult
    public func unset(_ key: String) throws(ToolSettingsError) -> Bool {
        guard value(key) != nil else { return false }
        guard ChildProcess.output(of: ["git", "config", "--file", path, "--unset-all", key]) != nil else {
            throw .cannotWrite(path: path)
        }
        return true
    }

    /// The file's own value of `key`, or nil.
    public func value(_ key: String) -> String? {
        ChildProcess.output(of: ["git", "config", "--file", path, "--get", key]).map { String($0.trimmingWhitespace()) }
    }
}

/// Why the tool's settings file could not be changed.
public enum ToolSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or its directory could not be written.
    case cannotWrite(path: String)
    /// `git config --global` could not add the include line.
    case cannotInclude(path: String)

    /// One line: what failed and how to fix it.
    public var description: String {
        switch self {
        case .cannotWrite(let path):
            return "cannot write the settings file \(DisplayText.quoted(path)); check that its directory is writable"
        case .cannotInclude(let path):
            return "cannot include \(DisplayText.quoted(path)) from the global git config; check that ~/.gitconfig "
                + "is writable (git config --global --add include.path \(path))"
        }
    }
}
