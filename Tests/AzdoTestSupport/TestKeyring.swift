import Foundation

/// How long a test's own keyring calls may take. Generous, because the tests share one
/// Secret Service with each other and with whatever else the machine runs (a run beside two
/// CPU-heavy processes hit the old 5 s bound in a 300-item search), yet still a bound that
/// turns a hung service into a failure instead of a stuck run. Child processes get it as
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
