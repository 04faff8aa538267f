public import Testing

/// Runs the tests that load the shared keyring heavily (hundreds of items, store/erase
/// churn, dozens of parallel git processes) one at a time, so none of them is timed against
/// another's load; other tests still run beside them.
public struct HeavyKeyringLoad: TestTrait, TestScoping {
    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        await HeavyLoadGate.gate.enter()
        do {
            try await function()
        } catch {
            await HeavyLoadGate.gate.leave()
            throw error
        }
        await HeavyLoadGate.gate.leave()
    }
}

extension Trait where Self == HeavyKeyringLoad {
    /// Runs the test only while no other heavy keyring test runs (see `HeavyKeyringLoad`).
    public static var heavyKeyringLoad: Self { HeavyKeyringLoad() }
}

/// One heavy test at a time, in arrival order. The gate is the test process's own: the
/// tests it orders share that process's keyring session.
actor HeavyLoadGate {
    static let gate = HeavyLoadGate()

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
