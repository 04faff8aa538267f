public import AzdoSystem

/// How long a Secret Service prompt may wait for a person, and whether unlock prompts are
/// shown at all.
///
/// - On a desktop (`DISPLAY` or `WAYLAND_DISPLAY` set) a prompt behaves as it does for git's
///   own libsecret helper: its dialog appears, and a person gets `azdo.keyringPromptTimeout`
///   seconds (default 60) to answer it.
/// - Without a display nobody can answer, but a prompt that needs nobody (KeePassXC's for
///   storing and deleting, kwalletd5's for an open wallet) completes in milliseconds, and
///   no client can tell the two apart before calling it. So it is called and waits
///   `headlessWaitMilliseconds` at most.
/// - `azdo.keyringPrompt false` never shows an unlock prompt; prompts for storing and
///   deleting still run, with the headless bound.
///
/// Whatever is not answered in time is dismissed.
public struct KeyringPromptPolicy: Sendable, Equatable {
    /// The git config key that turns unlock prompts off.
    public static let enabledKey = "azdo.keyringPrompt"
    /// The git config key for the seconds a person gets on a desktop.
    public static let timeoutKey = "azdo.keyringPromptTimeout"
    /// The seconds a person gets by default.
    public static let defaultPersonSeconds = 60
    /// The bound for prompts without a display. Those that need nobody finished here in 1
    /// to 7 ms (KeePassXC's for storing and deleting) and 0.4 to 30 ms (kwalletd5's unlock);
    /// the rest is room for a busy machine.
    public static let headlessWaitMilliseconds = 3_000

    /// Milliseconds an unlock (or access) prompt may wait; 0 means it is never shown.
    public var unlockWaitMilliseconds: Int
    /// Milliseconds a prompt for storing or deleting an item may wait.
    public var changeWaitMilliseconds: Int
    /// Whether a person may be there to answer (a desktop, prompts on): then a call a
    /// service holds for its own dialog (KeePassXC's unlock before a search) gets their time.
    public var personMayAnswer: Bool

    /// Creates a policy.
    public init(unlockWaitMilliseconds: Int, changeWaitMilliseconds: Int, personMayAnswer: Bool = false) {
        self.unlockWaitMilliseconds = unlockWaitMilliseconds
        self.changeWaitMilliseconds = changeWaitMilliseconds
        self.personMayAnswer = personMayAnswer
    }

    /// The policy for a session with or without a display, from the two settings' values.
    public static func resolve(desktop: Bool, enabled: String?, timeoutSeconds: String?) -> KeyringPromptPolicy {
        let on = enabled.map(GitBoolean.parse) ?? true
        let seconds = timeoutSeconds.flatMap { Int($0) }.map { min(max($0, 1), 600) } ?? defaultPersonSeconds
        let person = desktop && on ? seconds * 1_000 : headlessWaitMilliseconds
        return KeyringPromptPolicy(
            unlockWaitMilliseconds: on ? person : 0, changeWaitMilliseconds: person, personMayAnswer: desktop && on)
    }

    /// The policy from this process's environment and the user's global or system git
    /// config; git is run only when its config files may set one of the keys.
    public static func configured(scan: GitConfigScan = GitConfigScan()) -> KeyringPromptPolicy {
        let desktop = [Environment.value("DISPLAY"), Environment.value("WAYLAND_DISPLAY")].contains { !($0 ?? "").isEmpty }
        // The scan matches text, so this finds keyringPromptTimeout too.
        guard scan.mayContain(variable: "keyringprompt") else {
            return resolve(desktop: desktop, enabled: nil, timeoutSeconds: nil)
        }
        var settings: [String: String] = [:]
        for (key, value) in UserGitConfig.userEntries(matching: #"^azdo\.keyringprompt(timeout)?$"#) {
            settings[key] = value
        }
        return resolve(
            desktop: desktop, enabled: settings[enabledKey.lowercased()], timeoutSeconds: settings[timeoutKey.lowercased()])
    }
}
