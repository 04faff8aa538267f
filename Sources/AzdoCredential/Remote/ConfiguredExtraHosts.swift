#if canImport(Glibc)
import Glibc
#endif

/// Extra hosts from `GIT_CREDENTIAL_AZDO_EXTRA_HOSTS` (comma- or space-separated) and
/// from `azdo.extraHost` in the user's global or system git config.
///
/// `git config --show-scope` tells where each value came from; values from a repository's
/// own config (or `-c`) are ignored with a warning, so a cloned repository can never make
/// the helper send a token to a host of its choosing.
public struct ConfiguredExtraHosts: ExtraHostSource {
    /// The environment variable read for extra hosts.
    public static let environmentVariable = "GIT_CREDENTIAL_AZDO_EXTRA_HOSTS"
    /// The git config key read for extra hosts.
    public static let configKey = "azdo.extraHost"

    /// Creates the source.
    public init() {}

    /// Parses every entry; malformed ones are reported and skipped.
    public func extraHosts(diagnostics: any DiagnosticSink) -> [ExtraHost] {
        var entries: [String] = []
        if let value = Environment.value(Self.environmentVariable) {
            entries += value.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        }
        for (scope, value) in Self.gitConfigValues() {
            if scope == "global" || scope == "system" {
                entries.append(value)
            } else {
                diagnostics.report(
                    "ignoring \(Self.configKey)=\(DisplayText.quoted(value)) from \(scope) git config: only global or system config "
                        + "may add hosts (git config --global --add \(Self.configKey) HOST)")
            }
        }
        var hosts: [ExtraHost] = []
        for entry in entries where !entry.isEmpty {
            do throws(ExtraHostError) {
                hosts.append(try ExtraHost(parsing: entry))
            } catch {
                diagnostics.report(error.description)
            }
        }
        return hosts
    }

    /// `(scope, value)` pairs from `git config --show-scope --get-all azdo.extraHost`.
    static func gitConfigValues() -> [(scope: String, value: String)] {
        guard let output = ChildProcess.output(of: ["git", "config", "--show-scope", "--get-all", configKey]) else {
            return []
        }
        return output.split(separator: "\n").compactMap { line in
            guard let tab = line.firstIndex(of: "\t") else { return nil }
            return (String(line[..<tab]), String(line[tab...].dropFirst()))
        }
    }
}

/// Runs a short child process without Foundation (which would slow every helper call).
enum ChildProcess {
    /// The stdout of `arguments` (looked up in `PATH`), or `nil` if it could not run or
    /// exited non-zero. stdin and stderr are `/dev/null`; the child inherits the environment.
    static func output(of arguments: [String]) -> String? {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        close(pipeEnds[1])
        defer { close(pipeEnds[0]) }
        guard spawned == 0 else { return nil }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            output.append(contentsOf: buffer[0..<count])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else { return nil }
        return String(decoding: output, as: UTF8.self)
    }
}
