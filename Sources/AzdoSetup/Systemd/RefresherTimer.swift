import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

/// Why `refresher enable`, `disable` or `write-units` did not finish.
public enum RefresherTimerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither `XDG_CONFIG_HOME` nor `HOME` names a directory.
    case noUnitDirectory
    /// The unit directory could not be made.
    case cannotCreate(directory: String)
    /// A unit file could not be written.
    case cannotWrite(path: String, reason: String)
    /// A unit file could not be removed.
    case cannotRemove(path: String, reason: String)
    /// The units were written, but systemd's user manager did not take them.
    case systemdRefused(directory: String)

    /// One line: what failed and what to do.
    public var description: String {
        switch self {
        case .noUnitDirectory:
            return "HOME is not set, so there is no systemd user unit directory"
        case .cannotCreate(let directory):
            return "cannot create \(directory); check its permissions"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path) (\(reason))"
        case .cannotRemove(let path, let reason):
            return "cannot remove \(path) (\(reason))"
        case .systemdRefused(let directory):
            return "wrote the units to \(directory), but systemd's user manager did not take them "
                + "(`systemctl --user` failed or is missing); without systemd, run `git credential-azdo daemon` "
                + "from your session's startup instead"
        }
    }
}

/// The daily systemd user timer that runs `refresh`: its units in the user's unit directory,
/// and systemd told about them.
public struct RefresherTimer: Sendable {
    /// Where the units go.
    public let unitDirectory: String
    private let systemctl: any Systemctl

    /// Creates it over `unitDirectory` and `systemctl`.
    public init(unitDirectory: String, systemctl: any Systemctl) {
        self.unitDirectory = unitDirectory
        self.systemctl = systemctl
    }

    /// `$XDG_CONFIG_HOME/systemd/user` (default `~/.config/systemd/user`).
    public static func userUnitDirectory() throws(RefresherTimerError) -> String {
        guard let directory = UserDirectories.config("systemd/user") else { throw .noUnitDirectory }
        return directory
    }

    /// Writes both units into `directory` with `executable` in `ExecStart`: what `enable`
    /// does first, and what `make install` does for the packaged units.
    public static func writeUnits(into directory: String, executable: String) throws(RefresherTimerError) {
        guard StateDirectory.create(directory) else { throw .cannotCreate(directory: directory) }
        for (name, text) in [
            (SystemdUnits.serviceName, SystemdUnits.service(executable: executable)),
            (SystemdUnits.timerName, SystemdUnits.timer),
        ] {
            if let failure = StateFile.replace(directory + "/" + name, with: Array(text.utf8)) {
                throw .cannotWrite(path: directory + "/" + name, reason: failure)
            }
        }
    }

    /// Writes the units and starts the timer now and at every login.
    public func enable(executable: String) throws(RefresherTimerError) {
        try Self.writeUnits(into: unitDirectory, executable: executable)
        guard systemctl.user(["daemon-reload"]) != nil, systemctl.user(["enable", "--now", SystemdUnits.timerName]) != nil
        else { throw .systemdRefused(directory: unitDirectory) }
    }

    /// Stops the timer and removes the units; systemd's own failure to stop a timer it never
    /// knew is not one.
    public func disable() throws(RefresherTimerError) {
        _ = systemctl.user(["disable", "--now", SystemdUnits.timerName])
        for name in [SystemdUnits.timerName, SystemdUnits.serviceName] {
            if let failure = StateFile.remove(unitDirectory + "/" + name) {
                throw .cannotRemove(path: unitDirectory + "/" + name, reason: failure)
            }
        }
        _ = systemctl.user(["daemon-reload"])
    }

    /// What `status` reports about the timer.
    public struct State: Sendable, Equatable {
        /// Whether both unit files are in the unit directory (a symlink counts).
        public var installed: Bool
        /// `systemctl --user is-enabled` (`enabled`, `disabled`, …), or `unknown`.
        public var enabled: String
        /// `systemctl --user is-active`, or `inactive or unknown`.
        public var active: String

        /// Creates a state.
        public init(installed: Bool, enabled: String, active: String) {
            self.installed = installed
            self.enabled = enabled
            self.active = active
        }
    }

    /// The timer's state as systemd and the unit directory show it.
    public func state() -> State {
        let installed = [SystemdUnits.serviceName, SystemdUnits.timerName].allSatisfy {
            access(unitDirectory + "/" + $0, F_OK) == 0
        }
        let enabled = systemctl.user(["is-enabled", SystemdUnits.timerName]).map { String($0.trimmingWhitespace()) }
        let active = systemctl.user(["is-active", SystemdUnits.timerName]).map { String($0.trimmingWhitespace()) }
        return State(installed: installed, enabled: enabled ?? "unknown", active: active ?? "inactive or unknown")
    }
}
