import Foundation

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
    public static func run(
        _ executable: URL, _ arguments: [String] = [], input: String = "", environment: [String: String]? = nil,
        directory: URL? = nil
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let collector = OutputCollector(stdout: stdout, stderr: stderr)
        writeAll(Array(input.utf8), to: stdin.fileHandleForWriting.fileDescriptor)
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        let (out, err) = collector.finish()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus
            : process.terminationStatus
        return ProcessResult(
            status: status, standardOutput: String(decoding: out, as: UTF8.self),
            standardError: String(decoding: err, as: UTF8.self))
    }

    /// Runs a command found on `PATH`.
    public static func run(
        command: String, _ arguments: [String] = [], input: String = "", environment: [String: String]? = nil,
        directory: URL? = nil
    ) throws -> ProcessResult {
        try run(
            URL(fileURLWithPath: "/usr/bin/env"), [command] + arguments, input: input, environment: environment,
            directory: directory)
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
private final class OutputCollector: @unchecked Sendable {
    private let group = DispatchGroup()
    private var out = Data(), err = Data()

    init(stdout: Pipe, stderr: Pipe) {
        group.enter()
        group.enter()
        DispatchQueue.global().async { self.out = stdout.fileHandleForReading.readDataToEndOfFile(); self.group.leave() }
        DispatchQueue.global().async { self.err = stderr.fileHandleForReading.readDataToEndOfFile(); self.group.leave() }
    }

    func finish() -> (Data, Data) {
        group.wait()
        return (out, err)
    }
}
