import AzdoSystem

/// systemd's user manager, as `refresher enable|disable|status` drive it.
public protocol Systemctl: Sendable {
    /// The stdout of `systemctl --user ARGUMENTS`, or nil when it failed or is missing.
    func user(_ arguments: [String]) -> String?
}

/// The real `systemctl`, found in `PATH`.
public struct UserSystemctl: Systemctl {
    /// Creates it.
    public init() {}

    /// Runs `systemctl --user ARGUMENTS`.
    public func user(_ arguments: [String]) -> String? {
        ChildProcess.output(of: ["systemctl", "--user"] + arguments)
    }
}
