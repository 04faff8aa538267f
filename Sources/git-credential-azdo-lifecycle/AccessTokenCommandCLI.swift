import ArgumentParser
import AzdoAPI
import AzdoCredential
import AzdoKeyring
import AzdoLifecycle
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

        func run() async throws {
            let directory = try RefreshWiring.stateDirectory()
            // Held until the token is cached: the git commands waiting behind it then find it.
            guard let lock = StateLock.acquire(in: directory, name: StateLock.accessToken, waiting: true) else {
                StandardErrorSink().report("cannot lock \(directory)/\(StateLock.accessToken); check that it is writable")
                throw ExitCode(1)
            }
            let store = SecretServiceStore.fromEnvironment()
            let renewal = AccessTokenRenewal(tokens: store, clock: SystemClock())
            let token: CachedAccessToken
            do {
                token = try await renewal.token(
                    server: server, organization: org.name,
                    from: LifecycleWiring.LazyTokenSource(organization: org.name))
            } catch {
                throw LifecycleWiring.fail(error)
            }
            withExtendedLifetime(lock) {}
            StandardStreams.write(LifecycleAccessTokenRenewer.answer(for: token), to: 1)
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
