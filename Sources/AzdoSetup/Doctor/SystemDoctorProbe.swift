public import AzdoCredential
import AzdoKeyring
import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

/// The machine as `doctor` sees it: git, its config, the session bus and systemd.
public struct SystemDoctorProbe: DoctorProbe {
    private let systemctl: any Systemctl

    /// Creates the probe; `systemctl` answers for the user's systemd.
    public init(systemctl: any Systemctl = UserSystemctl()) {
        self.systemctl = systemctl
    }

    /// `git --version`'s version number.
    public func gitVersion() -> String? {
        ChildProcess.output(of: ["git", "--version"]).map { String(($0.split(separator: " ").last ?? "").trimmingWhitespace()) }
    }

    /// Every `credential.*` entry git sees, in its order.
    public func credentialEntries() -> [(key: String, value: String)] {
        guard let output = ChildProcess.output(of: ["git", "config", "--get-regexp", #"^credential\."#]) else { return [] }
        return output.split(separator: "\n").map { line in
            guard let space = line.firstIndex(of: " ") else { return (String(line), "") }
            return (String(line[..<space]), String(line[line.index(after: space)...]))
        }
    }

    /// The first executable `name` in `PATH`.
    public func executablePath(_ name: String) -> String? {
        let path = Environment.value("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    /// Whether a session bus address is set or the default socket exists.
    public func hasSessionBus() -> Bool {
        if let address = Environment.value("DBUS_SESSION_BUS_ADDRESS"), !address.isEmpty { return true }
        guard let runtime = Environment.value("XDG_RUNTIME_DIR"), !runtime.isEmpty else { return false }
        return access(runtime + "/bus", F_OK) == 0
    }

    /// The refresher timer's `is-enabled` state; nil without a systemd user manager.
    public func timerState() -> String? {
        guard systemctl.user(["is-system-running"]) != nil || systemctl.user(["show-environment"]) != nil
        else { return nil }
        return systemctl.user(["is-enabled", SystemdUnits.timerName])
            .map { String($0.trimmingWhitespace()) } ?? "disabled"
    }

    /// Which program provides the Secret Service.
    public func secretServiceProvider() -> SecretServiceProvider {
        ShimSecretService().provider(timeoutMilliseconds: 2_000)
    }
}
