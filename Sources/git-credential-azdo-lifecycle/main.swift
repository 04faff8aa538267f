import ArgumentParser
import AzdoSetup
import AzdoSystem

/// `git-credential-azdo login|pat|status|doctor|import|refresh|daemon|refresher …`.
/// These commands live in their own executable, which `git-credential-azdo` execs, so the
/// networking stack never loads when git calls `get`, `store` or `erase` (it costs ~2 ms per
/// start). The root also carries the helper's own commands, so this executable describes the
/// whole tree for `--help`, shell completions and the manual.
struct LifecycleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git-credential-azdo",
        abstract: GitCredentialAzdo.abstract,
        discussion: GitCredentialAzdo.discussion,
        version: GitCredentialAzdoVersion.current,
        subcommands: GitCredentialAzdo.helperSubcommands + [
            Login.self, PAT.self, Status.self, Doctor.self, Import.self, Refresh.self, Daemon.self, RefresherTimerCommand.self,
            AccessToken.self,
        ]
    )
}

do {
    var command = try LifecycleCommand.parseAsRoot()
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.runAsynchronously()
    } else {
        try command.run()
    }
} catch {
    LifecycleCommand.exitReportingOneLine(error)
}

extension AsyncParsableCommand {
    /// Calls the async `run()`; from an existential the synchronous requirement would win.
    mutating func runAsynchronously() async throws { try await run() }
}
