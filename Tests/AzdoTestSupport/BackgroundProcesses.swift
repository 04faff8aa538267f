public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The processes a test starts and leaves running while it works (a refresher, a daemon, a
/// login waiting for its code). Whatever is still running when the last reference goes
/// away (the test ended, perhaps by throwing halfway) is killed, so no test leaves a
/// process behind to keep the test run waiting for it.
public final class BackgroundProcesses: Sendable {
    private let processes = Mutex<[Process]>([])

    /// Creates an empty set.
    public init() {}

    /// Starts `process` and keeps it, to be killed if it outlives the test.
    public func run(_ process: Process) throws {
        try process.run()
        processes.withLock { $0.append(process) }
    }

    deinit {
        for process in processes.withLock({ $0 }) where process.isRunning {
            ProcessTree.kill(process.processIdentifier)
            process.waitUntilExit()
        }
    }
}

/// Checks `done` every 20 ms until it holds, at most `seconds`; whether it did. It waits
/// with `Task.sleep`, so unlike a blocking wait it holds none of the few threads every
/// test shares.
public func poll(within seconds: Int, until done: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !done() {
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return true
}

extension Process {
    /// Waits until the process has exited, at most `seconds` (see `poll`); false if it is
    /// still running then.
    public func exit(within seconds: Int) async -> Bool {
        guard await poll(within: seconds, until: { !isRunning }) else { return false }
        // isRunning turns false before the termination status is recorded.
        waitUntilExit()
        return true
    }
}

/// Everything a child writes to one pipe, read on a thread of its own as it comes, so the
/// test can wait for a line without blocking and the child never stalls on a full pipe.
public final class OutputBuffer: Sendable {
    /// The pipe to give the child as its stdout or stderr.
    public let pipe = Pipe()
    private let state = Mutex<(data: Data, ended: Bool)>((Data(), false))

    /// Creates the buffer and starts reading.
    public init() {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = pipe.fileHandleForReading.availableData
                state.withLock {
                    if chunk.isEmpty { $0.ended = true } else { $0.data.append(chunk) }
                }
                if chunk.isEmpty { return }
            }
        }
    }

    /// What arrived so far, as UTF-8.
    public var text: String { String(decoding: state.withLock { $0.data }, as: UTF8.self) }

    /// Waits until the text contains `marker`, at most `seconds`, and no longer once every
    /// writer has closed the pipe; false if it never did.
    public func wait(for marker: String, within seconds: Int) async -> Bool {
        _ = await poll(within: seconds) { text.contains(marker) || state.withLock { $0.ended } }
        return text.contains(marker)
    }

    /// Waits until every writer closed the pipe, at most `seconds`; the whole text then.
    public func end(within seconds: Int) async -> String {
        _ = await poll(within: seconds) { state.withLock { $0.ended } }
        return text
    }
}
