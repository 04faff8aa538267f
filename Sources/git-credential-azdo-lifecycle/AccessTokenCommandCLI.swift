import ArgumentParser
import AzdoAPI
import AzdoCredential
import AzdoHTTP
import AzdoKeyring
import AzdoLifecycle
import AzdoNetwork
import AzdoSystem

extension LifecycleCommand {
    /// `access-token`: the helper's renewal of an `oauth` organization's token (hidden; the
    /// helper runs it and reads the answer on a pipe).
    struct AccessToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "access-token",
            abstract: "Print a Microsoft Entra access token for git (run by the helper).",
            shouldDisplay: false)

        @Option(help: "The git server the token is for.") var server: String
        @Option(help: "The Azure DevOps organization.") var org: Organization
        @OptionGroup var trace: TraceOptions

        func run() async throws {
            let identity = IdentitySettings(
                entries: UserGitConfig.userEntries(matching: #"^azdo\."#), environment: { Environment.value($0) }
            ).identity(for: org.name)
            let token: CachedAccessToken
            switch identity {
            case .some(.failure(let error)):
                throw LifecycleWiring.fail(error)
            case .some(.success(let identity)):
                token = try await identityToken(identity)
            case nil:
                token = try await signInToken()
            }
            StandardStreams.write(LifecycleAccessTokenRenewer.answer(for: token), to: 1)
        }

        /// The `login` sign-in's token, cached in the keyring, renewed under the lock in the
        /// state directory.
        private func signInToken() async throws -> CachedAccessToken {
            let directory = try RefreshWiring.stateDirectory()
            // Held until the token is cached: the git commands waiting behind it then find it.
            guard let lock = StateLock.acquire(in: directory, name: StateLock.accessToken, waiting: true) else {
                StandardErrorSink().report("cannot lock \(directory)/\(StateLock.accessToken); check that it is writable")
                throw ExitCode(1)
            }
            defer { withExtendedLifetime(lock) {} }
            let renewal = AccessTokenRenewal(tokens: SecretServiceStore.fromEnvironment(), clock: SystemClock())
            do {
                return try await renewal.token(
                    server: server, organization: org.name, from: LifecycleWiring.LazyTokenSource(organization: org.name))
            } catch {
                throw LifecycleWiring.fail(error)
            }
        }

        /// A workload identity's token, cached in memory (`RuntimeTokenCache`), fetched under
        /// a lock beside it: no keyring, no session bus.
        private func identityToken(_ identity: WorkloadIdentity) async throws -> CachedAccessToken {
            guard let directory = RuntimeTokenCache.directory() else {
                StandardErrorSink().report(
                    "no private place for the token cache: $XDG_RUNTIME_DIR is unset and /dev/shm is not usable; set "
                        + "XDG_RUNTIME_DIR to a directory only you can read (mode 0700) on a memory file system")
                throw ExitCode(1)
            }
            let cache = RuntimeTokenCache(identity: identity, directory: directory)
            let lock = StateLock.acquire(in: directory, name: "token-\(identity.cacheName).lock", waiting: true)
            defer { withExtendedLifetime(lock) {} }
            let settings = LifecycleSettings.load(diagnostics: StandardErrorSink())
            let environment = Environment.all()
            let curl = CurlTransport(environment: environment, timeoutSeconds: settings.httpTimeoutSeconds)
            let network: any HTTPTransport = trace.verbose ? TracingTransport(wrapping: curl, sink: StandardErrorSink()) : curl
            let source = IdentityTokenSource(
                identity: identity,
                endpoints: .init(
                    authority: settings.authority, imds: settings.imdsURL, federationAudience: settings.federationAudience),
                environment: environment, transport: network,
                // Off Azure nothing answers there: give up in seconds, not minutes, and never via a proxy.
                imdsTransport: CurlTransport(
                    environment: [:], timeoutSeconds: 3, plainHTTPHosts: [CurlTransport.metadataServiceHost]),
                clock: SystemClock())
            do {
                return try await AccessTokenRenewal(tokens: cache, clock: SystemClock())
                    .token(server: server, organization: org.name, from: source)
            } catch {
                throw LifecycleWiring.fail(error)
            }
        }
    }
}

extension LifecycleWiring {
    /// The organization's token source, built (which discovers the tenant, a request to
    /// Azure DevOps) only when the keyring has no usable token; unserialized, since the
    /// command holds the renewal lock already.
    struct LazyTokenSource: AccessTokenSource {
        let organization: String

        func accessToken() async throws(SignInError) -> EntraAccessToken {
            let commands = await LifecycleWiring.commands(tenant: nil, organization: organization, verbose: false)
            return try await commands.unserializedTokenSource.accessToken()
        }
    }
}
