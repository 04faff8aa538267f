import ArgumentParser
import AzdoCredential
import AzdoKeyring

/// The `git-credential-azdo` command: git's credential-helper actions for Azure DevOps.
struct GitCredentialAzdo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git-credential-azdo",
        abstract: "A git credential helper for Azure DevOps PATs, kept in the Secret Service keyring.",
        discussion: """
            Configure it once:
              git credential-azdo configure     (unconfigure removes exactly what it added)
            git then calls 'git credential-azdo get|store|erase' with its credential protocol on stdin.

            Managing PATs through Azure DevOps (see their --help):
              git credential-azdo login         sign in to Microsoft Entra
              git credential-azdo pat create    create a PAT and store it for git
              git credential-azdo pat list|extend|scope|revoke|import
              git credential-azdo refresh       warn about expiring PATs and regenerate them
              git credential-azdo refresher enable|disable|status   the daily systemd user timer
              git credential-azdo daemon        refresh whenever due, without systemd
            """,
        version: GitCredentialAzdoVersion.current,
        subcommands: [Get.self, Store.self, Erase.self, Configure.self, Unconfigure.self]
    )

    /// Every subcommand name (and `help`); any other first argument is an unknown action.
    static let commandNames = Set(configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"])
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
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Answer git's request for a credential (called by git).")

        func run() throws { try HelperAction.run(.get) }
    }

    /// `store`: keep the credential git confirmed.
    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store",
            abstract: "Keep a credential git confirmed works (called by git).")

        func run() throws { try HelperAction.run(.store) }
    }

    /// `erase`: drop the credential git saw rejected.
    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "erase",
            abstract: "Remove a credential git saw rejected, or an organization's PAT (called by git or by hand).")

        func run() throws { try HelperAction.run(.erase) }
    }
}
