public import AzdoAPI
public import AzdoCredential
public import AzdoSystem

/// Renews the access token git uses for an `oauth` organization, for the helper (which
/// runs `access-token` when the keyring has no usable one). The caller holds the renewal
/// lock (`StateLock.accessToken`), so of many git commands missing the token at once the
/// first redeems the refresh token and the others find its result in the keyring: Entra
/// rotates the refresh token, and a second redemption of the old one could fail.
public struct AccessTokenRenewal: Sendable {
    private let tokens: any AccessTokenStore
    private let clock: any WallClock

    /// How long a token without a stated expiry is trusted (an old Azure CLI's answer).
    static let assumedLifetimeSeconds: Int64 = 1_800

    /// Renews into `tokens`.
    public init(tokens: any AccessTokenStore, clock: any WallClock) {
        self.tokens = tokens
        self.clock = clock
    }

    /// The usable cached token, else a new one from `source`, cached before it is returned.
    public func token(
        server: String, organization: String, from source: any AccessTokenSource
    ) async throws(AccessTokenRenewalError) -> CachedAccessToken {
        do {
            if let cached = try tokens.usableAccessToken(server: server, organization: organization, at: clock.now()) {
                return cached
            }
        } catch {
            throw .keyring(error)
        }
        let fresh: EntraAccessToken
        do { fresh = try await source.accessToken() } catch { throw .signIn(error) }
        let token = CachedAccessToken(
            server: server, organization: organization, account: fresh.account ?? "", token: fresh.token,
            expiresAt: fresh.expiresAt ?? clock.now() + Self.assumedLifetimeSeconds)
        do { try tokens.saveAccessToken(token) } catch { throw .keyring(error) }
        return token
    }
}

/// Why no access token could be had for git.
public enum AccessTokenRenewalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Signing in failed (not signed in, Entra refused, the Azure CLI failed).
    case signIn(SignInError)
    /// The keyring failed.
    case keyring(KeyringError)

    /// One line: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .signIn(let error): return "no Microsoft Entra token for git: " + error.description
        case .keyring(let error): return error.description
        }
    }
}
