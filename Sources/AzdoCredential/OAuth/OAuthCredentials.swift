/// What the helper needs to answer with Entra access tokens: which organizations want
/// them, where they are cached, and how a missing one is renewed.
public struct OAuthCredentials: Sendable {
    let types: any CredentialTypeSource
    let tokens: any AccessTokenStore
    let renewer: any AccessTokenRenewer

    /// Creates the bundle.
    public init(types: any CredentialTypeSource, tokens: any AccessTokenStore, renewer: any AccessTokenRenewer) {
        self.types = types
        self.tokens = tokens
        self.renewer = renewer
    }
}
