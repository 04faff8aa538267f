import Foundation
import Synchronization

/// Runs a blocking loop on a thread of its own rather than as a task, so it holds none of
/// the test runner's few shared threads; `value` waits for its result without blocking.
public final class OnThread<Result: Sendable>: Sendable {
    private let outcome = Mutex<(result: Result?, waiting: CheckedContinuation<Result, Never>?)>((nil, nil))

    /// Starts `body` on a new thread.
    public init(_ body: @escaping @Sendable () -> Result) {
        Thread.detachNewThread { [self] in
            let result = body()
            let waiting = outcome.withLock { state in
                state.result = result
                defer { state.waiting = nil }
                return state.waiting
            }
            waiting?.resume(returning: result)
        }
    }

    /// The body's result, once it has returned.
    public var value: Result {
        get async {
            await withCheckedContinuation { continuation in
                let ready = outcome.withLock { state -> Result? in
                    if state.result == nil { state.waiting = continuation }
                    return state.result
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
