import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

/// `configure` and `unconfigure`: makes git use this helper for Azure DevOps, and only for
/// Azure DevOps.
///
/// Everything configure adds lives in one file of its own, included from the user's (or
/// the system's) git config with a single `include.path` line:
///
/// ```
/// [credential "https://dev.azure.com"]
///     helper =
///     helper = /usr/bin/git-credential-azdo
///     useHttpPath = true
/// [credential "https://*.visualstudio.com"]
///     helper =
///     helper = /usr/bin/git-credential-azdo
/// ```
///
/// The empty `helper =` resets the helpers inherited from less specific entries (a global
/// `credential.helper`), so git asks only this helper for these hosts. Because the entries
/// are in their own file, `unconfigure` removes exactly them (the include line and the file)
/// and nothing the user wrote, and running `configure` again changes nothing.
public struct GitConfigurator: Sendable {
    /// Which git config file to change.
    public enum Scope: String, Sendable {
        /// The user's `~/.gitconfig` (`git config --global`).
        case global
        /// The machine's `/etc/gitconfig` (`git config --system`), for every user.
        case system
    }

    /// The hosts configured, as git credential URL patterns, and whether each needs the path.
    public static let hosts: [(pattern: String, useHttpPath: Bool)] = [
        ("https://dev.azure.com", true), ("https://*.visualstudio.com", false),
    ]

    private let scope: Scope
    private let includeFile: String
    private let helper: String

    /// Configures `scope`, writing the entries to `includeFile` for the helper at `helper`.
    public init(scope: Scope, includeFile: String, helper: String) {
        self.scope = scope
        self.includeFile = includeFile
        self.helper = helper
    }

    /// The include file for `scope`: `$XDG_CONFIG_HOME/git-credential-azdo/gitconfig`
    /// (default `~/.config/...`), or `git-credential-azdo.gitconfig` next to the system
    /// config (`$GIT_CONFIG_SYSTEM`, default `/etc/gitconfig`). Nil without a home.
    public static func includeFile(for scope: Scope) -> String? {
        switch scope {
        case .global:
            return UserDirectories.config("git-credential-azdo/gitconfig")
        case .system:
            let system = Environment.value("GIT_CONFIG_SYSTEM").flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/etc/gitconfig"
            let directory = system.lastIndex(of: "/").map { String(system[..<$0]) } ?? "/etc"
            return (directory.isEmpty ? "" : directory) + "/git-credential-azdo.gitconfig"
        }
    }

    /// The include file's text.
    public func fileText() -> String {
        var text = "# Written by `git credential-azdo configure`; `git credential-azdo unconfigure` removes it.\n"
        let value = Self.configValue(helper)
        for (pattern, useHttpPath) in Self.hosts {
            text += "[credential \"\(pattern)\"]\n\thelper =\n\thelper = \(value)\n"
            if useHttpPath { text += "\tuseHttpPath = true\n" }
        }
        return text
    }

    /// Writes the include file and adds the include line if it is missing; true when the
    /// configuration changed.
    @discardableResult
    public func configure() throws(SetupError) -> Bool {
        let directory = includeFile.lastIndex(of: "/").map { String(includeFile[..<$0]) } ?? "."
        guard StateDirectory.create(directory) else { throw .cannotWrite(path: directory, detail: "cannot create it") }
        let text = Array(fileText().utf8)
        let unchangedFile = StateFile.read(includeFile) == text
        if !unchangedFile, let failure = StateFile.replace(includeFile, with: text) {
            throw .cannotWrite(path: includeFile, detail: failure)
        }
        if isIncluded { return !unchangedFile }
        guard git(["--add", "include.path", includeFile]) != nil else { throw .gitConfigFailed(scope: scope) }
        return true
    }

    /// Removes the include line and the file; true when there was something to remove.
    @discardableResult
    public func unconfigure() throws(SetupError) -> Bool {
        let included = isIncluded
        if included {
            guard git(["--fixed-value", "--unset-all", "include.path", includeFile]) != nil else {
                throw .gitConfigFailed(scope: scope)
            }
            // `--unset-all` leaves an empty `[include]` header behind; drop it only when empty.
            if git(["--get-regexp", #"^include\."#]) == nil { _ = git(["--remove-section", "include"]) }
        }
        let existed = access(includeFile, F_OK) == 0
        if let failure = StateFile.remove(includeFile) { throw .cannotWrite(path: includeFile, detail: failure) }
        return included || existed
    }

    /// Whether the scope's config includes the file.
    public var isIncluded: Bool {
        git(["--fixed-value", "--get-all", "include.path", includeFile]) != nil
    }

    private func git(_ arguments: [String]) -> String? {
        ChildProcess.output(of: ["git", "config", "--\(scope.rawValue)"] + arguments)
    }

    /// `path` as a git config value: git runs an absolute-path helper through the shell, so a
    /// path with anything but plain characters is single-quoted, inside a double-quoted value.
    static func configValue(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "/._+-".unicodeScalars.contains(scalar))
        }
        if plain { return path }
        let quoted = "'" + path.replacingOccurrences("'", with: #"'\''"#) + "'"
        return "\"" + quoted.replacingOccurrences("\\", with: #"\\"#).replacingOccurrences("\"", with: #"\""#) + "\""
    }
}

/// Why `configure` or `unconfigure` could not finish.
public enum SetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file or directory could not be written.
    case cannotWrite(path: String, detail: String)
    /// `git config` failed (not installed, or the config file is not writable).
    case gitConfigFailed(scope: GitConfigurator.Scope)
    /// No home directory to configure.
    case noHome

    /// One line: what failed and how to fix it.
    public var description: String {
        switch self {
        case .cannotWrite(let path, let detail):
            return "cannot write \(path) (\(detail)); check its permissions"
        case .gitConfigFailed(.system):
            return "`git config --system` failed; run it as root (sudo git credential-azdo configure --system)"
        case .gitConfigFailed(.global):
            return "`git config --global` failed; check that git is installed and ~/.gitconfig is writable"
        case .noHome: return "HOME is not set, so there is no git config to change"
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (no Foundation).
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
