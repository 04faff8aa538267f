import ArgumentParser
import AzdoCredential

/// `git-credential-azdo login|pat|refresh|daemon|refresher …`: the commands that talk to
/// Azure DevOps and Entra.
/// They live in their own executable, which `git-credential-azdo` execs, so the networking
/// stack never loads when git calls `get`, `store` or `erase` (it costs ~2 ms per start).
struct LifecycleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git-credential-azdo",
        abstract: "Sign in to Microsoft Entra and manage Azure DevOps PATs.",
        version: GitCredentialAzdoVersion.current,
        subcommands: [
            Login.self, PAT.self, Status.self, Doctor.self, Import.self, Refresh.self, Daemon.self, RefresherTimer.self,
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
    LifecycleCommand.exit(withError: error)
}

extension AsyncParsableCommand {
    /// Calls the async `run()`; from an existential the synchronous requirement would win.
    mutating func runAsynchronously() async throws { try await run() }
}
