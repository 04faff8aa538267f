import ArgumentParser
import AzdoSetup
import AzdoSystem

/// `--system`, shared by `configure` and `unconfigure`.
struct ScopeOption: ParsableArguments {
    @Flag(help: "Change the system's git config (/etc/gitconfig, for every user) instead of yours.")
    var system = false

    /// The configurator for the chosen scope, or exit 1 with one line.
    func configurator() throws -> GitConfigurator {
        let scope: GitConfigurator.Scope = system ? .system : .global
        guard let file = GitConfigurator.includeFile(for: scope) else {
            StandardErrorSink().report(SetupError.noHome.description)
            throw ExitCode(1)
        }
        return GitConfigurator(scope: scope, includeFile: file, helper: InstalledExecutable.helper)
    }
}

extension GitCredentialAzdo {
    /// `configure`: make git use this helper for Azure DevOps.
    struct Configure: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "configure",
            abstract: "Make git use git-credential-azdo for dev.azure.com and *.visualstudio.com, and only there.",
            discussion: """
                Writes the helper entries (with useHttpPath for dev.azure.com, and an empty helper \\
                entry first so other helpers are not asked for these hosts) to a file of their own, \\
                and adds one include.path line for it to ~/.gitconfig (or /etc/gitconfig with \\
                --system). Running it again changes nothing; `unconfigure` removes exactly this.
                """)

        @OptionGroup var scope: ScopeOption

        init() {}

        func run() throws {
            let configurator = try scope.configurator()
            do {
                let changed = try configurator.configure()
                print(changed ? "configured: git now asks git-credential-azdo for Azure DevOps" : "already configured")
            } catch {
                StandardErrorSink().report(error.description)
                throw ExitCode(1)
            }
        }
    }

    /// `unconfigure`: undo `configure`.
    struct Unconfigure: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unconfigure", abstract: "Remove exactly what `configure` added to git's config.")

        @OptionGroup var scope: ScopeOption

        init() {}

        func run() throws {
            let configurator = try scope.configurator()
            do {
                let changed = try configurator.unconfigure()
                print(changed ? "unconfigured: git no longer asks git-credential-azdo" : "nothing to remove")
            } catch {
                StandardErrorSink().report(error.description)
                throw ExitCode(1)
            }
        }
    }
}
