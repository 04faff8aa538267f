import ArgumentParser
import AzdoAPI
import AzdoCredential
import AzdoKeyring
import AzdoLifecycle
import AzdoNetwork
import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

/// Builds the lifecycle commands over the real keyring, network and clock.
enum LifecycleWiring {
    /// The commands; with `organization`, signing in to that organization's tenant unless
    /// one is given (and, with `onlyIfSignedIn`, unless nobody signed in at all); with
    /// `verbose`, tracing HTTP (redacted) to stderr.
    static func commands(
        tenant: String?, organization: String? = nil, verbose: Bool, onlyIfSignedIn: Bool = true
    ) async -> LifecycleCommands {
        let keyring = SecretServiceStore.fromEnvironment()
        let settings = LifecycleSettings.load(tenant: tenant, diagnostics: StandardErrorSink())
        let network = CurlTransport(environment: Environment.all(), timeoutSeconds: settings.httpTimeoutSeconds)
        let commands = LifecycleCommands(
            settings: settings,
            transport: verbose ? TracingTransport(wrapping: network, sink: StandardErrorSink()) : network,
            credentials: keyring, refreshTokens: keyring,
            journal: FileRotationJournal(directory: StateDirectory.path ?? "$XDG_STATE_HOME (neither it nor HOME is set)"),
            clock: SystemClock(), sleeper: TaskSleeper(),
            diagnostics: StandardErrorSink(), progress: TerminalProgress(), tokenLockDirectory: StateDirectory.path)
        guard let organization else { return commands }
        return await commands.discoveringTenant(of: organization, onlyIfSignedIn: onlyIfSignedIn)
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

/// `--verbose`, on every command that talks to the network.
struct TraceOptions: ParsableArguments {
    @Flag(name: [.short, .long], help: "Trace HTTP requests and responses on stderr, with every secret redacted.")
    var verbose = false
}

/// Options every command that calls the PAT API takes.
struct SignInOptions: ParsableArguments {
    @Option(help: "The Microsoft Entra tenant (default: azdo.tenant, else the organization's own tenant).")
    var tenant: String?

    @Flag(help: "Use the Azure CLI's sign-in (az account get-access-token) instead of `login`.")
    var azureCli = false

    @OptionGroup var trace: TraceOptions

    /// Signs in for `org` (a lower-cased organization name), runs `body`, and turns any
    /// failure into one line and exit 1.
    func withClient(
        org: String, _ body: (LifecycleCommands, PATClient, String) async throws(PATManagerError) -> Void
    ) async throws {
        let organization = org
        let commands = await LifecycleWiring.commands(tenant: tenant, organization: organization, verbose: trace.verbose)
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
    /// `login`: sign in to Microsoft Entra (browser or device code) and keep the refresh
    /// token, or choose the Azure CLI's sign-in.
    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "login",
            abstract: "Sign in to Microsoft Entra so PATs can be created and renewed.",
            discussion: """
                With a browser at hand ($BROWSER, a desktop session, or WSL), opens Entra's sign-in \
                page and takes its answer on a loopback port (authorization code with PKCE); the \
                URL is printed on stderr too. Without one (SSH), prints a code and a URL to open \
                on any device (device code). The refresh token is kept in the keyring and renewed \
                on every use. With --org, signs in to the Entra tenant that owns the organization. \
                With --azure-cli, keeps no token: `pat` commands and the refresher ask `az` for one \
                (azdo.signIn=azure-cli, written to ~/.config/git-credential-azdo/settings) until \
                the next browser or device-code login.
                """)

        @Option(help: "An Azure DevOps organization whose tenant to sign in to.") var org: Organization?
        @Option(help: "The Microsoft Entra tenant (default: azdo.tenant, else found from --org, else 'organizations').")
        var tenant: String?
        @Flag(help: "Sign in through a browser on this machine, even if none seems available.") var browser = false
        @Flag(help: "Sign in with a code on any device (for SSH sessions).") var deviceCode = false
        @Flag(help: "Use the Azure CLI's sign-in (`az login`) from now on instead of a refresh token.")
        var azureCli = false
        @Option(help: "How long to wait for the browser sign-in, in seconds.") var timeout = 300
        @OptionGroup var trace: TraceOptions

        func validate() throws {
            if [browser, deviceCode, azureCli].filter({ $0 }).count > 1 {
                throw ValidationError("--browser, --device-code and --azure-cli exclude each other")
            }
            if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
        }

        func run() async throws {
            let commands = await LifecycleWiring.commands(
                tenant: tenant, organization: org?.name, verbose: trace.verbose, onlyIfSignedIn: false)
            let settingsFile = ToolSettingsFile.user()
            if azureCli {
                guard let settingsFile else {
                    throw LifecycleWiring.fail(ToolSettingsError.cannotWrite(path: "$XDG_CONFIG_HOME (neither it nor HOME is set)"))
                }
                do { try await commands.checkAzureCLI() } catch { throw LifecycleWiring.fail(error) }
                do { try settingsFile.set("azdo.signIn", SignInMethod.azureCLI.rawValue) } catch {
                    throw LifecycleWiring.fail(error)
                }
                StandardErrorSink().report(
                    "the Azure CLI gave a token for Azure DevOps; `pat` commands and the refresher will ask it "
                        + "(azdo.signIn=azure-cli in \(settingsFile.path))")
                return
            }
            let environment = Environment.all()
            let opener = BrowserOpener(
                environment: environment, isWSL: BrowserOpener.runningUnderWSL(environment: environment))
            do {
                if browser || (!deviceCode && opener.canOpen) {
                    // Takes SIGINT over, so Ctrl-C ends the wait with one line instead of a kill.
                    let signals = SignalAwareSleeper()
                    try await commands.loginWithBrowser(opener: opener, seconds: timeout) { signals.isStopped }
                } else {
                    try await commands.login()
                }
            } catch {
                throw LifecycleWiring.fail(error)
            }
            // The refresh token just stored replaces an earlier `login --azure-cli`.
            do { try settingsFile?.unset("azdo.signIn") } catch { throw LifecycleWiring.fail(error) }
            StandardErrorSink().report("signed in to tenant \(commands.tenant); the refresh token is in the keyring")
            if LifecycleSettings.load().signIn == .azureCLI {
                StandardErrorSink().report(
                    "azdo.signIn=azure-cli in your git config still makes `pat` commands and the refresher use "
                        + "the Azure CLI; `git config --global --unset azdo.signIn` uses this sign-in")
            }
        }
    }

    /// `pat`: manage Azure DevOps PATs through the PAT Lifecycle Management API.
    struct PAT: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pat", abstract: "Create, list, extend, rescope, revoke and import PATs.",
            subcommands: [Create.self, List.self, Extend.self, Scope.self, Revoke.self, Import.self])
    }
}

extension LifecycleCommand.PAT {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create an organization-scoped PAT and store it for git.")

        @Option(help: "The Azure DevOps organization (letters, digits and hyphens).") var org: Organization
        @Option(help: "The PAT's display name (default: 'git-credential-azdo on HOST').") var name: String?
        @Option(parsing: .upToNextOption, help: "Scopes (default: vso.code_write).") var scopes: [String] = [
            "vso.code_write"
        ]
        @Option(help: "Days until it expires (the organization's policy may shorten it).") var days = 90
        @OptionGroup var signIn: SignInOptions

        func validate() throws {
            guard (1...366).contains(days) else { throw ValidationError(PATManagerError.invalidDays(days).description) }
        }

        func run() async throws {
            try await signIn.withClient(org: org.name) { commands, client, organization throws(PATManagerError) in
                let created: StoredCredential
                do throws(PATManagerError) {
                    created = try await commands.manager.create(
                        organization: organization, client: client,
                        displayName: name ?? "git-credential-azdo on \(LifecycleWiring.hostName)", scopes: scopes,
                        days: days, username: organization)
                } catch where error.forbidsPATCreation && RefreshSettings.load().autoFallback {
                    // The organization forbids PATs: git gets Entra tokens there instead.
                    guard let file = try? SettingsFileOAuthSwitch().switchToOAuth(organization: organization) else {
                        throw error
                    }
                    StandardErrorSink().report(OAuthFallbackReport.switched(organization, file: file))
                    return
                }
                let until = created.metadata.validTo.map { CivilDate.string(fromUnixSeconds: $0) } ?? "unknown"
                print("created '\(created.metadata.displayName ?? "")' for \(organization), valid until \(until); git will use it")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List PATs from Azure DevOps; '*' marks the one git uses.",
            discussion: "Without --org, lists every organization the keyring holds a PAT for.")

        @Option(help: "The Azure DevOps organization (default: every organization with a stored PAT).")
        var org: Organization?
        @Flag(help: "Include revoked and expired PATs.") var all = false
        @Flag(help: "Print JSON: an array of objects with organization, authorizationID, displayName, scope, validTo (Unix seconds), daysLeft and usedByGit.")
        var json = false
        @OptionGroup var signIn: SignInOptions

        func run() async throws {
            let organizations: [String]
            if let org {
                organizations = [org.name]
            } else {
                do {
                    organizations = try await LifecycleWiring.commands(tenant: nil, verbose: false).storedOrganizations()
                } catch {
                    throw LifecycleWiring.fail(error)
                }
            }
            var rows: [PATListing] = []
            for organization in organizations {
                try await signIn.withClient(org: organization) { commands, client, organization throws(PATManagerError) in
                    rows += try await commands.list(
                        organization: organization, client: client, filter: all ? "all" : "active")
                }
            }
            if json {
                print(PATListingJSON.encode(rows))
                return
            }
            if rows.isEmpty { StandardErrorSink().report("no PATs found") }
            for row in rows {
                let date = CivilDate.string(fromUnixSeconds: row.validTo)
                print("\(row.usedByGit ? "*" : " ") \(row.organization)  \(row.displayName)  \(date) (\(row.daysLeft) days)  \(row.scope)  \(row.authorizationID)")
            }
        }
    }

    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "extend", abstract: "Move the stored PAT's expiry (same secret).")

        @Option(help: "The Azure DevOps organization (letters, digits and hyphens).") var org: Organization
        @Option(help: "Days from now until it expires.") var days: Int
        @OptionGroup var signIn: SignInOptions

        func validate() throws {
            guard (1...366).contains(days) else { throw ValidationError(PATManagerError.invalidDays(days).description) }
        }

        func run() async throws {
            try await signIn.withClient(org: org.name) { commands, client, organization throws(PATManagerError) in
                let updated = try await commands.manager.extend(organization: organization, client: client, days: days)
                let until = updated.metadata.validTo.map { CivilDate.string(fromUnixSeconds: $0) } ?? "unknown"
                print("\(organization): the PAT is now valid until \(until)")
            }
        }
    }

    struct Scope: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scope", abstract: "Replace the stored PAT's scopes (same secret).")

        @Option(help: "The Azure DevOps organization (letters, digits and hyphens).") var org: Organization
        @Option(parsing: .upToNextOption, help: "The new scopes, e.g. vso.code or vso.code_write.") var scopes: [String]
        @OptionGroup var signIn: SignInOptions

        func run() async throws {
            try await signIn.withClient(org: org.name) { commands, client, organization throws(PATManagerError) in
                let updated = try await commands.manager.rescope(organization: organization, client: client, scopes: scopes)
                print("\(organization): the PAT's scopes are now \(updated.metadata.scope ?? scopes.joined(separator: " "))")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a PAT in Azure DevOps and remove it from the keyring.")

        @Option(help: "The Azure DevOps organization (letters, digits and hyphens).") var org: Organization
        @Option(help: "The PAT's authorization id (default: the stored one).") var id: String?
        @OptionGroup var signIn: SignInOptions

        func run() async throws {
            try await signIn.withClient(org: org.name) { commands, client, organization throws(PATManagerError) in
                try await commands.manager.revoke(organization: organization, client: client, authorizationID: id)
                print("\(organization): revoked")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Store a PAT made in the web UI, read from stdin, once Azure DevOps accepts it.",
            discussion: """
                The PAT is read from stdin (hidden when typed at a terminal), never from the command \
                line. It is checked against the organization first; nothing is stored if the check \
                fails. It replaces PATs for the organization that were typed at git's prompt or \
                imported before.
                """)

        @Option(help: "The Azure DevOps organization (letters, digits and hyphens).") var org: Organization
        @Option(help: "The expiry date the web UI showed, YYYY-MM-DD (lets `get` report it and warn in time).")
        var expires: String?
        @OptionGroup var trace: TraceOptions

        func run() async throws {
            let organization = org.name
            let validTo: Int64?
            do throws(PATImportError) {
                if let expires {
                    guard let seconds = CivilDate.unixSeconds(from: expires) else { throw .invalidExpiry(expires) }
                    validTo = seconds
                } else {
                    validTo = nil
                }
                let secret: Secret
                switch SecretInput.readLine(prompt: "PAT for \(organization) (input hidden): ") {
                case .secret(let value): secret = value
                case .empty: throw .empty
                case .tooLong: throw .tooLong(limit: SecretInput.limit)
                }
                let commands = await LifecycleWiring.commands(tenant: nil, verbose: trace.verbose)
                let stored = try await commands.importer.importPAT(secret, organization: organization, validTo: validTo)
                print(stored ? "\(organization): the PAT works and is stored; git will use it"
                    : "\(organization): this PAT is already stored")
            } catch {
                throw LifecycleWiring.fail(error)
            }
        }
    }
}

/// An Azure DevOps organization name given on the command line: letters, digits and
/// hyphens, as Azure DevOps allows them; anything else is a usage error naming the rules.
struct Organization: ExpressibleByArgument {
    /// The name, lower-cased.
    let name: String

    init?(argument: String) {
        guard let name = OrganizationName.normalized(Substring(argument)) else { return nil }
        self.name = name
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
