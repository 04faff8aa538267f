import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A process and everything below it, from `/proc`.
public enum ProcessTree {
    /// `pid` and its descendants (children first found, deepest last).
    public static func members(of pid: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = Int32(name),
                let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let end = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm)" come the state and the parent's pid.
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[child] = parent }
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
