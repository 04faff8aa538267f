/// What the helper needs to answer with Entra access tokens: which organizations want
/// them, where they are cached (the keyring for the `login` sign-in, memory for a workload
/// identity), and how a missing one is renewed.
public struct OAuthCredentials: Sendable {
    let types: any CredentialTypeSource
    let tokens: any AccessTokenStore
    let identityTokens: @Sendable (WorkloadIdentity) -> any AccessTokenStore
    let renewer: any AccessTokenRenewer

    /// Creates the bundle.
    public init(
        types: any CredentialTypeSource, tokens: any AccessTokenStore,
        identityTokens: @escaping @Sendable (WorkloadIdentity) -> any AccessTokenStore = { RuntimeTokenCache(identity: $0) },
        renewer: any AccessTokenRenewer
    ) {
        self.types = types
        self.tokens = tokens
        self.identityTokens = identityTokens
        self.renewer = renewer
    }
}
