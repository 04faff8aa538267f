#if canImport(Glibc)
import Glibc
#endif

/// Where the tool keeps its small non-secret state (rotation journal, reminder ledger, the
/// refresher's lock and last result): `$XDG_STATE_HOME/git-credential-azdo`, else
/// `~/.local/state/git-credential-azdo`, created with mode 0700. Nothing secret is ever
/// written there.
public enum StateDirectory {
    /// The directory's path, or nil when neither `XDG_STATE_HOME` nor `HOME` is set.
    public static var path: String? { UserDirectories.state("git-credential-azdo") }

    /// Creates `path` and its missing parents (0700 for the last one); true when it exists afterwards.
    @discardableResult
    public static func create(_ path: String) -> Bool {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, prefix == path ? 0o700 : 0o755) != 0 && errno != EEXIST { return false }
        }
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
