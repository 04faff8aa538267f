#if canImport(Glibc)
import Glibc
#endif

/// Runs a short child process without Foundation (which would slow every helper call).
public enum ChildProcess {
    /// The stdout of `arguments` (looked up in `PATH`), or `nil` if it could not run or
    /// exited non-zero. stdin is `/dev/null`, and so is stderr unless `keepingStandardError`
    /// (then the child's one-line failures reach the person); the child inherits the
    /// environment.
    public static func output(of arguments: [String], keepingStandardError: Bool = false) -> String? {
        startOutput(of: arguments, keepingStandardError: keepingStandardError).wait()
    }

    /// Starts `arguments` as `output(of:)` does and returns at once, so the caller can work
    /// while the child runs; `wait()` then gives its stdout.
    public static func startOutput(of arguments: [String], keepingStandardError: Bool = false) -> PendingOutput {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return PendingOutput(pid: nil, descriptor: -1) }
        let spawned = spawn(
            arguments, standardOutput: pipeEnds[1], keepingStandardError: keepingStandardError, closing: pipeEnds)
        close(pipeEnds[1])
        return PendingOutput(pid: spawned, descriptor: pipeEnds[0])
    }

    /// A started child whose stdout is read when asked for.
    public final class PendingOutput: @unchecked Sendable {
        // Used from one thread: the one that started the child and waits for it.
        private let pid: pid_t?
        private let descriptor: Int32
        private var result: String??

        init(pid: pid_t?, descriptor: Int32) {
            self.pid = pid
            self.descriptor = descriptor
        }

        /// The child's stdout once it exits, or nil if it could not run or exited non-zero.
        public func wait() -> String? {
            if let result { return result }
            let output = collect()
            result = .some(output)
            return output
        }

        private func collect() -> String? {
            defer { if descriptor >= 0 { close(descriptor) } }
            guard let pid else { return nil }
            var output: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                output.append(contentsOf: buffer[0..<count])
            }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else { return nil }
            return String(decoding: output, as: UTF8.self)
        }

        deinit {
            // A child never waited for is still reaped, so it does not linger as a zombie.
            if result == nil { _ = collect() }
        }
    }

    /// Starts `arguments` (looked up in `PATH`) with stdin, stdout and stderr on `/dev/null`,
    /// and does not wait for it: for a browser, which may run for hours. False when it
    /// could not start (not found, not executable).
    public static func start(_ arguments: [String]) -> Bool {
        spawn(arguments, standardOutput: nil, keepingStandardError: false, closing: []) != nil
    }

    /// Spawns `arguments` with stdin on `/dev/null`, stdout on `standardOutput` (else
    /// `/dev/null`), stderr on this process's own with `keepingStandardError` (else
    /// `/dev/null`), and `closing` closed in the child; its PID, or nil.
    private static func spawn(
        _ arguments: [String], standardOutput: Int32?, keepingStandardError: Bool, closing: [Int32]
    ) -> pid_t? {
        guard !arguments.isEmpty else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let standardOutput {
            posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        if !keepingStandardError { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        for descriptor in closing { posix_spawn_file_actions_addclose(&actions, descriptor) }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        return posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ) == 0 ? pid : nil
    }
}
