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

    /// `git-credential-azdo`, the helper git runs, in this installation.
    public static var helper: String { sibling("git-credential-azdo") }
}
