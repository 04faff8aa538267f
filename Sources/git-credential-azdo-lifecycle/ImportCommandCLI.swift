// Public: the conformance below is as visible as the public type it extends.
public import ArgumentParser
import AzdoCredential
import AzdoKeyring
import AzdoSetup
import AzdoSystem

extension CredentialMigration.Source: ExpressibleByArgument {}

extension LifecycleCommand {
    /// `import --from gcm|libsecret`: copy another helper's Azure DevOps credentials.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Copy the Azure DevOps PATs Git Credential Manager or git's libsecret helper keep in the keyring.",
            discussion: """
                Reads the other helper's items (GCM: schema com.microsoft.GitCredentialManager; \\
                git-credential-libsecret: schema org.git.Password), keeps those for Azure DevOps hosts, \\
                and stores each PAT for git-credential-azdo. The originals are never changed or deleted, \\
                so the other helper keeps working. Entra access tokens (GCM's OAuth mode) are skipped. \\
                For one PAT made in the web UI, use `pat import`.
                """)

        @Option(help: "Where to import from: gcm or libsecret.") var from: CredentialMigration.Source

        func run() throws {
            let keyring = SecretServiceStore.fromEnvironment()
            let migration = CredentialMigration(
                store: keyring, resolver: RemoteResolver(extraHosts: ConfiguredExtraHosts()), clock: SystemClock())
            let outcome: CredentialMigration.Outcome
            do throws(KeyringError) {
                outcome = try migration.run(try keyring.foreignItems(schema: from.schema), from: from)
            } catch {
                throw LifecycleWiring.fail(error)
            }
            for organization in outcome.imported { print("imported: \(organization)") }
            if outcome.alreadyStored > 0 { print("already stored: \(outcome.alreadyStored)") }
            for reason in outcome.skipped { StandardErrorSink().report("skipped \(reason)") }
            if outcome.imported.isEmpty && outcome.alreadyStored == 0 {
                print("nothing to import: no Azure DevOps credentials from \(from.rawValue) in the keyring")
            }
        }
    }
}
