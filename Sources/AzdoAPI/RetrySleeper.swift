/// Waits between retries; injected so tests don't sleep.
public protocol RetrySleeper: Sendable {
    /// Suspends for `seconds`.
    func sleep(seconds: Int) async
}

/// Really waits, with `Task.sleep`.
public struct TaskSleeper: RetrySleeper {
    /// Creates the sleeper.
    public init() {}

    /// Suspends the task for `seconds`.
    public func sleep(seconds: Int) async {
        try? await Task.sleep(for: .seconds(seconds))
    }
}
