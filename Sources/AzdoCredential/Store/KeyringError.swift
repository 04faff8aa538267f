/// Why the keyring could not be used. Each case says what is wrong and what fixes it.
public enum KeyringError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No D-Bus session bus: no address in the environment, or connecting failed.
    case noSessionBus(detail: String)
    /// Nothing provides `org.freedesktop.secrets` on the session bus.
    case noSecretService(detail: String)
    /// The keyring is locked, so its items cannot be read or written without a prompt.
    case locked
    /// The Secret Service did not answer within `milliseconds`.
    case timedOut(milliseconds: Int)
    /// There is no default collection to store into.
    case noDefaultCollection
    /// The Secret Service asked for an interactive prompt, which this tool never shows.
    case promptRequired
    /// The Secret Service or libsecret reported something else.
    case failed(detail: String)
    /// libsecret could not be loaded (it is loaded on first use, not at start-up).
    case libraryMissing(detail: String)
    /// The Secret Service quit or was killed while a call waited for its answer.
    case serviceStopped(detail: String)

    /// One line: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .noSessionBus(let detail):
            return "no D-Bus session bus (\(detail)); log in to a desktop session, or start one with "
                + "`dbus-run-session -- $SHELL` (see README, 'Headless and SSH')"
        case .noSecretService(let detail):
            return "no Secret Service on the session bus (\(detail)); install and start one, e.g. "
                + "`sudo apt-get install gnome-keyring` then `gnome-keyring-daemon --start --components=secrets`"
        case .locked:
            return "the keyring is locked; unlock it (log in to the desktop, or run "
                + "`gnome-keyring-daemon --replace --unlock --components=secrets` and type its password, then Ctrl-D)"
        case .timedOut(let milliseconds):
            return "the Secret Service did not answer within \(milliseconds) ms; restart it (e.g. "
                + "`gnome-keyring-daemon --replace --components=secrets`) or raise GIT_CREDENTIAL_AZDO_KEYRING_TIMEOUT_MS"
        case .noDefaultCollection:
            return "the keyring has no default collection; create one, e.g. start "
                + "`gnome-keyring-daemon --unlock --components=secrets` and type a new password, then Ctrl-D"
        case .promptRequired:
            return "the Secret Service wants to show a prompt, which git-credential-azdo never does; "
                + "unlock the keyring first"
        case .failed(let detail):
            return "the Secret Service failed: \(detail)"
        case .serviceStopped(let detail):
            return "the Secret Service stopped before answering (\(detail)); "
                + "start it again (log in to the desktop, or `gnome-keyring-daemon --start --components=secrets`) and retry"
        case .libraryMissing(let detail):
            return "cannot load libsecret (\(detail)); install it: `sudo apt-get install libsecret-1-0`"
        }
    }
}
