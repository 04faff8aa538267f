import Foundation
import Testing

/// How long a test's own keyring calls may take. Generous, because the tests share one
/// Secret Service with each other and with whatever else the machine runs (a keyring call
/// took over 5 s beside two busy loops), yet still a bound that turns a hung service into a
/// failure instead of a stuck run. Child processes get it as
/// `GIT_CREDENTIAL_AZDO_KEYRING_TIMEOUT_MS` unless a test sets its own.
public enum TestKeyring {
    /// 60 s per call.
    public static let timeoutMilliseconds = 60_000

    /// `environment` (by default the test process's own) with the tests' keyring timeout,
    /// unless it already names one.
    public static func childEnvironment(_ environment: [String: String]? = nil) -> [String: String] {
        var environment = environment ?? ProcessInfo.processInfo.environment
        let key = "GIT_CREDENTIAL_AZDO_KEYRING_TIMEOUT_MS"
        if environment[key] == nil { environment[key] = String(timeoutMilliseconds) }
        return environment
    }
}

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
