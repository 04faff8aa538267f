public import ArgumentParser
import AzdoCredential
import AzdoKeyring

/// The `git-credential-azdo` command: git's credential-helper actions for Azure DevOps.
public struct GitCredentialAzdo: ParsableCommand {
    /// The helper's own subcommands (git's actions and `configure`/`unconfigure`).
    public static let helperSubcommands: [any ParsableCommand.Type] = [
        Get.self, Store.self, Erase.self, Configure.self, Unconfigure.self,
    ]

    public static let configuration = CommandConfiguration(
        commandName: "git-credential-azdo",
        abstract: "A git credential helper for Azure DevOps PATs, kept in the Secret Service keyring.",
        discussion: """
            Configure git once with `git credential-azdo configure`. git then runs \
            `git credential-azdo get|store|erase` with its credential protocol on stdin. The other \
            commands are for people: sign in, manage PATs, keep them fresh, check the set-up. \
            See git-credential-azdo(1).
            """,
        version: GitCredentialAzdoVersion.current,
        subcommands: helperSubcommands
    )

    /// Creates the command (argument parsing does).
    public init() {}

    /// Every subcommand name (and `help`); any other first argument is an unknown action.
    public static let commandNames = Set(configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"])
}

/// Runs one helper action on stdin against the real keyring and writes the outcome.
enum HelperAction {
    static func run(_ action: HelperProgram.Action) throws {
        let diagnostics = StandardErrorSink()
        let helper = CredentialHelper(
            store: SecretServiceStore.fromEnvironment(),
            resolver: RemoteResolver(extraHosts: ConfiguredExtraHosts()),
            clock: SystemClock(),
            diagnostics: diagnostics,
            reminder: action == .get ? DailyExpiryReminder(warnDays: DailyExpiryReminder.configuredWarnDays) : nil)
        let outcome = HelperProgram(helper: helper, diagnostics: diagnostics)
            .run(action, input: StandardStreams.readInput())
        if !outcome.standardOutput.isEmpty {
            StandardStreams.write(outcome.standardOutput, to: 1)
        }
        if outcome.exitStatus != 0 {
            throw ExitCode(outcome.exitStatus)
        }
    }
}

extension GitCredentialAzdo {
    /// `get`: print the stored PAT for the remote git names on stdin.
    public struct Get: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Answer git's request for a credential (called by git).")

        public init() {}

        public func run() throws { try HelperAction.run(.get) }
    }

    /// `store`: keep the credential git confirmed.
    public struct Store: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "store",
            abstract: "Keep a credential git confirmed works (called by git).")

        public init() {}

        public func run() throws { try HelperAction.run(.store) }
    }

    /// `erase`: drop the credential git saw rejected.
    public struct Erase: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "erase",
            abstract: "Remove a credential git saw rejected, or an organization's PAT (called by git or by hand).")

        public init() {}

        public func run() throws { try HelperAction.run(.erase) }
    }
}
