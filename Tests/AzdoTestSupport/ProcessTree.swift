import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A process and everything below it, from `/proc`.
public enum ProcessTree {
    /// The fields of `/proc/PID/stat` after "pid (comm)": the state first, then the
    /// parent's pid, …, utime at 11 and stime at 12; nil once the process is gone.
    public static func stat(of pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: end)...].split(separator: " ")
    }

    /// Whether `pid` has exited: gone from /proc, or a zombie its parent has yet to reap.
    public static func hasExited(_ pid: Int32) -> Bool {
        guard let fields = stat(of: pid) else { return true }
        return fields.first == "Z"
    }

    /// `pid` and its descendants (children first found, deepest last).
    public static func members(of pid: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = Int32(name), let fields = stat(of: child), fields.count > 1,
                let parent = Int32(fields[1])
            else { continue }
            parents[child] = parent
        }
        var members = [pid]
        var index = 0
        while index < members.count {
            let parent = members[index]
            members += parents.filter { $0.value == parent }.map(\.key)
            index += 1
        }
        return members
    }

    /// SIGKILLs `pid` and everything below it. Foundation reports a child's exit only once
    /// every process holding its status socket (its descendants, too) has gone, so killing
    /// the child alone can leave a wait for it hanging.
    public static func kill(_ pid: Int32) {
        for member in members(of: pid).reversed() { _ = Glibc.kill(member, SIGKILL) }
    }
}
