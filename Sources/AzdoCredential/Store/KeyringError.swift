/// Why the keyring could not be used. Each case says what is wrong, names the program
/// that provides the Secret Service, and says what fixes it there.
public enum KeyringError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No D-Bus session bus: no address in the environment, or connecting failed.
    case noSessionBus(detail: String)
    /// Nothing provides `org.freedesktop.secrets` on the session bus.
    case noSecretService(detail: String)
    /// The keyring is locked, and was not unlocked (a dismissed prompt, or prompting off).
    case locked(SecretServiceProvider)
    /// A prompt was shown and nobody answered it within `seconds`; it was dismissed.
    case promptUnanswered(SecretServiceProvider, KeyringPromptPurpose, seconds: Int)
    /// A prompt to grant access or to change an item was dismissed.
    case promptDismissed(SecretServiceProvider, KeyringPromptPurpose)
    /// Only a person could go on (unlock, allow access), and prompts are off (`azdo.keyringPrompt`).
    case promptsOff(SecretServiceProvider, KeyringPromptPurpose)
    /// The Secret Service did not answer within `milliseconds`.
    case timedOut(SecretServiceProvider, milliseconds: Int)
    /// There is no default collection to store into.
    case noDefaultCollection(SecretServiceProvider)
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
            return "no Secret Service on the session bus (\(detail)); start one: gnome-keyring "
                + "(`sudo apt-get install gnome-keyring`, then `gnome-keyring-daemon --start --components=secrets`), "
                + "KeePassXC (Tools > Settings > Secret Service Integration) or KWallet"
        case .locked(let provider):
            return "the keyring is locked (\(provider.name)); \(provider.unlockFix)"
        case .promptUnanswered(let provider, let purpose, let seconds):
            return "\(provider.name) asked for a person (\(purpose.rawValue) prompt) and nobody answered within "
                + "\(seconds) s, so it was dismissed; \(purpose.fix(provider))"
        case .promptDismissed(let provider, let purpose):
            return "\(provider.name)'s \(purpose.rawValue) prompt was dismissed; \(purpose.fix(provider))"
        case .promptsOff(let provider, let purpose):
            return "\(provider.name) needs a person (\(purpose.rawValue) prompt), and prompts are off "
                + "(\(KeyringPromptPolicy.enabledKey) is false); \(purpose.fix(provider))"
        case .timedOut(let provider, let milliseconds):
            return "\(provider.name) did not answer within \(milliseconds) ms; \(provider.restartFix), "
                + "or raise GIT_CREDENTIAL_AZDO_KEYRING_TIMEOUT_MS"
        case .noDefaultCollection(let provider):
            return "the keyring has no default collection (\(provider.name)); \(provider.collectionFix)"
        case .failed(let detail):
            return "the Secret Service failed: \(detail)"
        case .serviceStopped(let detail):
            return "the Secret Service stopped before answering (\(detail)); start it again "
                + "(log in to the desktop, or start gnome-keyring, KeePassXC or KWallet) and retry"
        case .libraryMissing(let detail):
            return "cannot load libsecret (\(detail)); install it: `sudo apt-get install libsecret-1-0`"
        }
    }
}
