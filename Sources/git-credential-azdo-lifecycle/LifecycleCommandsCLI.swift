import ArgumentParser
import AzdoCredential
import AzdoKeyring
import AzdoLifecycle
import AzdoNetwork

#if canImport(Glibc)
import Glibc
#endif

/// Builds the lifecycle commands over the real keyring, network and clock.
enum LifecycleWiring {
    static func commands(tenant: String?) -> LifecycleCommands {
        let keyring = SecretServiceStore.fromEnvironment()
        return LifecycleCommands(
            settings: LifecycleSettings.load(tenant: tenant),
            transport: AsyncHTTPTransport(environment: Environment.all()), credentials: keyring,
            refreshTokens: keyring, clock: SystemClock(), sleeper: TaskSleeper(), diagnostics: StandardErrorSink())
    }

    /// Reports `error` as one line and exits 1.
    static func fail(_ error: some Error & CustomStringConvertible) -> ExitCode {
        StandardErrorSink().report(error.description)
        return ExitCode(1)
    }

    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "this machine" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Options every command that calls the PAT API takes.
struct SignInOptions: ParsableArguments {
    @Option(help: "The Microsoft Entra tenant (default: azdo.tenant, else 'organizations').")
    var tenant: String?

    @Flag(help: "Use the Azure CLI's sign-in (az account get-access-token) instead of `login`.")
    var azureCli = false

    /// Signs in for `org` (lower-cased), runs `body`, and turns any failure into one line and exit 1.
    func withClient(
        org: String, _ body: (LifecycleCommands, PATClient, String) async throws(PATManagerError) -> Void
    ) async throws {
        let commands = LifecycleWiring.commands(tenant: tenant)
        let organization = org.lowercased()
        let client: PATClient
        do {
            client = try await commands.client(
                organization: organization, tokenSource: azureCli ? AzureCLITokenSource(tenant: tenant) : nil)
        } catch {
            throw LifecycleWiring.fail(error)
        }
        do {
            try await body(commands, client, organization)
        } catch {
            throw LifecycleWiring.fail(error)
        }
    }
}

extension LifecycleCommand {
    /// `login`: sign in to Microsoft Entra by device code and keep the refresh token.
    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "login",
            abstract: "Sign in to Microsoft Entra (device code) so PATs can be created and renewed.")

        @Option(help: "The Microsoft Entra tenant (default: azdo.tenant, else 'organizations').")
        var tenant: String?

        func run() async throws {
            do {
                try await LifecycleWiring.commands(tenant: tenant).login()
            } catch {
                throw LifecycleWiring.fail(error)
            }
            StandardErrorSink().report("signed in; the refresh token is in the keyring")
        }
    }

    /// `pat`: manage Azure DevOps PATs through the PAT Lifecycle Management API.
    struct PAT: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pat", abstract: "Create, list, extend and revoke PATs through Azure DevOps' API.",
            subcommands: [Create.self, List.self, Extend.self, Revoke.self])
    }
}

extension LifecycleCommand.PAT {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create an organization-scoped PAT and store it for git.")

        @Option(help: "The Azure DevOps organization.") var org: String
        @Option(help: "The PAT's display name (default: 'git-credential-azdo on HOST').") var name: String?
        @Option(parsing: .upToNextOption, help: "Scopes (default: vso.code_write).") var scopes: [String] = [
            "vso.code_write"
        ]
        @Option(help: "Days until it expires (the organization's policy may shorten it).") var days = 90
        @OptionGroup var signIn: SignInOptions

        func run() async throws {
            try await signIn.withClient(org: org) { commands, client, organization throws(PATManagerError) in
                let created = try await commands.manager.create(
                    organization: organization, client: client,
                    displayName: name ?? "git-credential-azdo on \(LifecycleWiring.hostName)", scopes: scopes,
                    days: days, username: organization)
                let until = created.metadata.validTo.map { CivilDate.string(fromUnixSeconds: $0) } ?? "unknown"
                print("created '\(created.metadata.displayName ?? "")' for \(organization), valid until \(until); git will use it")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the organization's PATs; '*' marks the one git uses.")

        @Option(help: "The Azure DevOps organization.") var org: String
        @Flag(help: "Include revoked and expired PATs.") var all = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var signIn: SignInOptions

        func run() async throws {
            try await signIn.withClient(org: org) { commands, client, organization throws(PATManagerError) in
                let rows = try await commands.list(organization: organization, client: client, filter: all ? "all" : "active")
                if json {
                    print(PATListingJSON.encode(rows))
                } else {
                    for row in rows {
                        let date = CivilDate.string(fromUnixSeconds: row.validTo)
                        print("\(row.usedByGit ? "*" : " ") \(row.displayName)  \(date) (\(row.daysLeft) days)  \(row.scope)  \(row.authorizationID)")
                    }
                }
            }
        }
    }

    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "extend", abstract: "Move the stored PAT's expiry (same secret).")

        @Option(help: "The Azure DevOps organization.") var org: String
        @Option(help: "Days from now until it expires.") var days: Int
        @OptionGroup var signIn: SignInOptions

        func run() async throws {
            try await signIn.withClient(org: org) { commands, client, organization throws(PATManagerError) in
                let updated = try await commands.manager.extend(organization: organization, client: client, days: days)
                let until = updated.metadata.validTo.map { CivilDate.string(fromUnixSeconds: $0) } ?? "unknown"
                print("\(organization): the PAT is now valid until \(until)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a PAT in Azure DevOps and remove it from the keyring.")

        @Option(help: "The Azure DevOps organization.") var org: String
        @Option(help: "The PAT's authorization id (default: the stored one).") var id: String?
        @OptionGroup var signIn: SignInOptions

        func run() async throws {
            try await signIn.withClient(org: org) { commands, client, organization throws(PATManagerError) in
                try await commands.manager.revoke(organization: organization, client: client, authorizationID: id)
                print("\(organization): revoked")
            }
        }
    }
}
