import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Sleeps on a wall-clock Dispatch timer; SIGTERM or SIGINT wakes it for good.
public final class SignalAwareSleeper: DaemonSleeper, @unchecked Sendable {
    private let queue = DispatchQueue(label: "git-credential-azdo.daemon")
    // Touched only on `queue`.
    private var stopped = false
    private var waiting: CheckedContinuation<Bool, Never>?
    private var timer: (any DispatchSourceTimer)?
    private var sources: [any DispatchSourceSignal] = []

    /// Creates the sleeper and takes SIGTERM and SIGINT over from their default actions.
    public init() {
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                stopped = true
                wake(false)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Whether SIGTERM or SIGINT arrived.
    public var isStopped: Bool { queue.sync { stopped } }

    /// Waits until Unix time `wake`; false when a signal ended the wait.
    public func sleep(until wake: Int64) async -> Bool {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                guard !stopped else { return continuation.resume(returning: false) }
                waiting = continuation
                let timer = DispatchSource.makeTimerSource(queue: queue)
                timer.schedule(wallDeadline: DispatchWallTime(timespec: timespec(tv_sec: Int(wake), tv_nsec: 0)))
                timer.setEventHandler { [unowned self] in self.wake(true) }
                timer.resume()
                self.timer = timer
            }
        }
    }

    /// On `queue`: ends the current wait, if any.
    private func wake(_ result: Bool) {
        timer?.cancel()
        timer = nil
        waiting?.resume(returning: result)
        waiting = nil
    }
}
