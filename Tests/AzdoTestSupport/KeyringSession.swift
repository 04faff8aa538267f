public import AzdoCredential
public import Foundation
public import Testing

/// A Secret Service implementation the tests run against (`keyring-session.sh --service`).
public enum TestSecretService: String, Sendable, CaseIterable, CustomStringConvertible {
    /// gnome-keyring-daemon, secrets component only.
    case gnomeKeyring = "gnome-keyring"
    /// KeePassXC with its Secret Service integration on and its confirmations off.
    case keePassXC = "keepassxc"
    /// KeePassXC with its own default settings: every access and deletion needs a person.
    case keePassXCPrompts = "keepassxc-prompts"
    /// kwalletd5, its wallet opened as a login opens it.
    case kWallet = "kwallet"

    /// The program the helper's messages name.
    public var provider: SecretServiceProvider {
        switch self {
        case .gnomeKeyring: return .gnomeKeyring
        case .keePassXC, .keePassXCPrompts: return .keePassXC
        case .kWallet: return .kWallet
        }
    }

    /// The programs a session of this service needs.
    public var tools: [String] {
        switch self {
        case .gnomeKeyring: return ["gnome-keyring-daemon"]
        case .keePassXC, .keePassXCPrompts: return ["keepassxc", "keepassxc-cli"]
        case .kWallet: return ["kwalletd5"]
        }
    }

    public var description: String { rawValue }
}

/// The private keyring session `make test` (Tests/Support/keyring-session.sh) runs the
/// tests in, and new throwaway sessions in special states.
public enum KeyringSession {
    /// The implementation the private session runs (gnome-keyring unless the session says
    /// otherwise); throwaway sessions start the same one unless a test asks for another.
    public static var service: TestSecretService {
        ProcessInfo.processInfo.environment["GIT_CREDENTIAL_AZDO_TEST_SERVICE"].flatMap(TestSecretService.init(rawValue:))
            ?? .gnomeKeyring
    }

    /// Whether the tests run inside a private session bus made by keyring-session.sh, so a
    /// keyring test can never touch the developer's own keyring.
    public static var isPrivate: Bool {
        let environment = ProcessInfo.processInfo.environment
        guard let directory = environment["GIT_CREDENTIAL_AZDO_TEST_KEYRING"], !directory.isEmpty,
            let address = environment["DBUS_SESSION_BUS_ADDRESS"]
        else { return false }
        return address.contains(directory)
    }

    /// Whether the tools to start throwaway sessions of `service` are installed.
    public static func toolsInstalled(_ service: TestSecretService = KeyringSession.service) -> Bool {
        (["dbus-daemon", "dbus-send"] + service.tools).allSatisfy(ProcessRunner.isInstalled)
    }

    /// A state for a throwaway session.
    public enum Mode: String, Sendable {
        /// An unlocked login keyring.
        case unlocked = ""
        /// A login keyring that is locked.
        case locked = "--locked"
        /// A bus with no Secret Service.
        case noService = "--no-service"
        /// No bus at all.
        case noBus = "--no-bus"
    }

    /// Runs `arguments` inside a new session of `service` in `mode`, optionally keeping
    /// keyring files in `data`.
    public static func run(
        _ mode: Mode, service: TestSecretService = KeyringSession.service, data: URL? = nil, _ arguments: [String],
        input: String = "", environment: [String: String] = [:]
    ) throws -> ProcessResult {
        var options = ["--service", service.rawValue] + (mode == .unlocked ? [] : [mode.rawValue])
        if let data { options += ["--data", data.path] }
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        return try ProcessRunner.run(
            TestPaths.supportScript("keyring-session.sh"), options + ["--"] + arguments, input: input,
            environment: merged)
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only inside the private keyring session of `make test`.
    public static var privateKeyring: Self {
        .enabled(if: KeyringSession.isPrivate, "needs the private keyring session: run `make test`")
    }

    /// Runs the test only where the private session has a stand-in desktop notification
    /// server (`keyring-session.sh --notifications`, as `make test` starts it).
    public static var notificationService: Self {
        .enabled(if: NotificationLog.path != nil, "needs the notification service: run `make test`")
    }

    /// Runs the test only where throwaway sessions of the service under test can be started.
    public static var keyringTools: Self { keyringTools(KeyringSession.service) }

    /// Runs the test only where throwaway sessions of `service` can be started.
    public static func keyringTools(_ service: TestSecretService) -> Self {
        .enabled(
            if: KeyringSession.toolsInstalled(service),
            "needs dbus-daemon, dbus-send and \(service.tools.joined(separator: ", ")) (make deps)")
    }
}

/// The stand-in notification server's log (`Tests/Support/notification-service.py`).
public enum NotificationLog {
    /// One notification as the server received it.
    public struct Entry: Decodable, Sendable, Equatable {
        /// The sending application's name.
        public var app: String
        /// The summary line.
        public var summary: String
        /// The body.
        public var body: String
        /// 0 low, 1 normal, 2 critical.
        public var urgency: Int

        /// An entry as the server would log it.
        public init(app: String, summary: String, body: String, urgency: Int) {
            self.app = app
            self.summary = summary
            self.body = body
            self.urgency = urgency
        }
    }

    /// The log's path, when the session has the server.
    public static var path: String? { ProcessInfo.processInfo.environment["GIT_CREDENTIAL_AZDO_TEST_NOTIFICATIONS"] }

    /// Every notification received so far whose summary or body mentions `text`.
    public static func entries(mentioning text: String) -> [Entry] {
        guard let path, let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            try? JSONDecoder().decode(Entry.self, from: Data(line.utf8))
        }.filter { $0.summary.contains(text) || $0.body.contains(text) }
    }
}
