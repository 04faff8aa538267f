import ArgumentParser
import AzdoCredential
import AzdoKeyring

/// The helper's part of the `git-credential-azdo` command tree; the lifecycle executable's
/// root command puts it together with the commands for people.
enum GitCredentialAzdo {
    /// The helper's own subcommands (git's actions and `configure`/`unconfigure`).
    static let helperSubcommands: [any ParsableCommand.Type] = [
        Get.self, Store.self, Erase.self, Configure.self, Unconfigure.self,
    ]

    /// The one-line summary of the whole tool.
    static let abstract = "A git credential helper for Azure DevOps PATs, kept in the Secret Service keyring."

    /// The root help's explanation.
    static let discussion = """
        Configure git once with `git credential-azdo configure`. git then runs \
        `git credential-azdo get|store|erase` with its credential protocol on stdin. The other \
        commands are for people: sign in, manage PATs, keep them fresh, check the set-up. \
        See git-credential-azdo(1).
        """
}

extension HelperProgram.Action {
    /// Runs the action for git, turning a failing status into the parser's exit.
    func runForParsedCommand() throws {
        let status = runAgainstKeyring()
        if status != 0 { throw ExitCode(status) }
    }
}

extension GitCredentialAzdo {
    /// `get`: print the stored PAT for the remote git names on stdin.
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Answer git's request for a credential (called by git).")

        func run() throws { try HelperProgram.Action.get.runForParsedCommand() }
    }

    /// `store`: keep the credential git confirmed.
    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store",
            abstract: "Keep a credential git confirmed works (called by git).")

        func run() throws { try HelperProgram.Action.store.runForParsedCommand() }
    }

    /// `erase`: drop the credential git saw rejected.
    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "erase",
            abstract: "Remove a credential git saw rejected, or an organization's PAT (called by git or by hand).")

        func run() throws { try HelperProgram.Action.erase.runForParsedCommand() }
    }
}
