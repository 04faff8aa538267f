public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    /// Its exit status (or 128 + signal).
    public var status: Int32
    /// Everything it wrote to stdout.
    public var standardOutput: String
    /// Everything it wrote to stderr.
    public var standardError: String

    /// stderr split into non-empty lines.
    public var errorLines: [String] { standardError.split(separator: "\n").map(String.init) }
}

/// Runs child processes to completion, feeding stdin and collecting both outputs.
public enum ProcessRunner {
    /// Runs `executable` with `arguments`; `environment` replaces the inherited one when given.
    /// Either way the child gets the tests' keyring timeout unless it names its own
    /// (`TestKeyring.childEnvironment`).
    /// A child still running after `limitSeconds` (by default far beyond any test's need) is
    /// killed, so that a hung child fails its test instead of stalling the whole run; its
    /// result then has status 137 and stderr ends with a line saying so.
    public static func run(
        _ executable: URL, _ arguments: [String] = [], input: String = "", environment: [String: String]? = nil,
        directory: URL? = nil, limitSeconds: Int = 300
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = TestKeyring.childEnvironment(environment)
        if let directory { process.currentDirectoryURL = directory }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let collector = OutputCollector(stdout: stdout, stderr: stderr)
        writeAll(Array(input.utf8), to: stdin.fileHandleForWriting.fileDescriptor)
        try? stdin.fileHandleForWriting.close()
        var killed = false
        var status: Int32 = 128 + SIGKILL
        if exited.wait(timeout: .now() + .seconds(limitSeconds)) == .timedOut {
            ProcessTree.kill(process.processIdentifier)
            killed = true
        }
        // Once killed, Foundation may still wait for something that slipped out of the tree.
        if !killed || exited.wait(timeout: .now() + .seconds(10)) == .success {
            process.waitUntilExit()
            status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus
                : process.terminationStatus
        }
        // Something the child started and left behind may still hold its pipes.
        let (out, err) = collector.finish(waitingAtMost: killed ? 5 : limitSeconds)
        let name = ([executable.lastPathComponent] + arguments.prefix(1)).joined(separator: " ")
        let note = killed ? "ProcessRunner: \(name) killed after \(limitSeconds) s\n" : ""
        return ProcessResult(
            status: status, standardOutput: String(decoding: out, as: UTF8.self),
            standardError: String(decoding: err, as: UTF8.self) + note)
    }

    /// Runs a command found on `PATH`.
    public static func run(
        command: String, _ arguments: [String] = [], input: String = "", environment: [String: String]? = nil,
        directory: URL? = nil, limitSeconds: Int = 300
    ) throws -> ProcessResult {
        try run(
            URL(fileURLWithPath: "/usr/bin/env"), [command] + arguments, input: input, environment: environment,
            directory: directory, limitSeconds: limitSeconds)
    }

    /// secret-tool (libsecret's encrypted session), tried up to three times: kwalletd5 fails
    /// about 1 such call in 100 ("Client public key size is invalid"), or reads an empty secret.
    public static func secretTool(_ arguments: [String], input: String = "") throws -> ProcessResult {
        var result = try run(command: "secret-tool", arguments, input: input)
        for _ in 1..<3 where result.status != 0 || (arguments.first == "lookup" && result.standardOutput.isEmpty) {
            result = try run(command: "secret-tool", arguments, input: input)
        }
        return result
    }

    /// Writes `bytes` with `write(2)`, retrying on EINTR and stopping quietly when the child
    /// closed its stdin early (FileHandle.write traps on both). SIGPIPE is ignored once.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        _ = ignoreSIGPIPE
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Whether `command` is on `PATH`.
    public static func isInstalled(_ command: String) -> Bool {
        (try? run(command: "sh", ["-c", "command -v \(command)"]).status) == 0
    }
}

/// Drains stdout and stderr on background threads so a chatty child never blocks.
private final class OutputCollector: Sendable {
    private let group = DispatchGroup()
    private let collected = Mutex<(out: Data, err: Data)>((Data(), Data()))

    init(stdout: Pipe, stderr: Pipe) {
        group.enter()
        group.enter()
        DispatchQueue.global().async { [self] in
            drain(stdout) { $0.out.append($1) }
            group.leave()
        }
        DispatchQueue.global().async { [self] in
            drain(stderr) { $0.err.append($1) }
            group.leave()
        }
    }

    /// Reads `pipe` to its end, keeping each chunk as it comes.
    private func drain(_ pipe: Pipe, into keep: (inout (out: Data, err: Data), Data) -> Void) {
        while true {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { return }
            collected.withLock { keep(&$0, chunk) }
        }
    }

    /// Both outputs once both pipes ended, or what arrived within `seconds`.
    func finish(waitingAtMost seconds: Int) -> (Data, Data) {
        _ = group.wait(timeout: .now() + .seconds(seconds))
        return collected.withLock { ($0.out, $0.err) }
    }
}
