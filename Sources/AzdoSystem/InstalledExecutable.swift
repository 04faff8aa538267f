#if canImport(Glibc)
import Glibc
#endif

/// Where this installation's executables are, from `/proc/self/exe`: git's helper and its
/// sibling executables are always installed side by side.
public enum InstalledExecutable {
    /// The running executable's absolute path (`argv[0]` if `/proc` is unavailable).
    public static var current: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The path of `name` next to the running executable.
    public static func sibling(_ name: String) -> String {
        let me = current
        let directory = me.lastIndex(of: "/").map { String(me[..<$0]) } ?? "."
        return directory + "/" + name
    }

    /// `git-credential-azdo`, the helper git runs, in this installation: this executable,
    /// its sibling, or, from `PREFIX/libexec/git-credential-azdo/`, `PREFIX/bin/`'s.
    public static var helper: String {
        let me = current
        if me.hasSuffix("/git-credential-azdo") { return me }
        let beside = sibling("git-credential-azdo")
        if access(beside, X_OK) == 0 { return beside }
        return resolved(sibling("../../bin/git-credential-azdo"))
    }

    /// `path` without `..` components, when it exists.
    static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// `git-credential-azdo-lifecycle`, which runs every command git does not: next to the
    /// helper (a build directory), else in `PREFIX/libexec/git-credential-azdo/` (installed).
    public static var lifecycle: String {
        let beside = sibling("git-credential-azdo-lifecycle")
        if access(beside, X_OK) == 0 { return beside }
        return sibling("../libexec/git-credential-azdo/git-credential-azdo-lifecycle")
    }
}
