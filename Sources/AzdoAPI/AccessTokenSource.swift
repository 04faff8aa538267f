public import AzdoCredential
public import AzdoSystem
import FoundationEssentials

/// Where an Entra access token for Azure DevOps comes from when a PAT API call (or git,
/// with `azdo.credentialType oauth`) needs one.
public protocol AccessTokenSource: Sendable {
    /// A currently valid access token.
    func accessToken() async throws(SignInError) -> EntraAccessToken
}

/// An Entra access token for Azure DevOps, with its expiry when known.
public struct EntraAccessToken: Sendable, Equatable {
    /// The token.
    public var token: Secret
    /// When it expires, Unix seconds.
    public var expiresAt: Int64?

    /// Creates a token.
    public init(token: Secret, expiresAt: Int64?) {
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// Why no access token could be had.
public enum SignInError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nobody signed in (no refresh token stored, or no Azure CLI session).
    case notSignedIn
    /// Entra refused or could not be reached.
    case entra(EntraError)
    /// The keyring failed.
    case keyring(KeyringError)
    /// The Azure CLI failed or printed something unexpected.
    case azureCLI(detail: String)
    /// A browser sign-in did not bring back a code.
    case browser(BrowserSignInFailure)
    /// A workload identity got no token.
    case identity(IdentityError)

    /// One line: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .notSignedIn: return "not signed in to Microsoft Entra; run `git credential-azdo login`"
        case .entra(let error): return error.description
        case .keyring(let error): return error.description
        case .azureCLI(let detail):
            return "the Azure CLI gave no token (\(detail)); run `az login`, or `git credential-azdo login`"
        case .browser(let failure): return failure.description
        case .identity(let error): return error.description
        }
    }
}

/// Access tokens from the refresh token stored by `login`; every refresh stores the
/// rotated refresh token Entra returns, so the next call keeps working.
public struct RefreshTokenSession: AccessTokenSource {
    private let configuration: EntraConfiguration
    private let store: any RefreshTokenStore
    private let client: EntraClient
    private let clock: any WallClock

    /// Creates a session over the stored refresh token for `configuration`.
    public init(
        configuration: EntraConfiguration, store: any RefreshTokenStore, client: EntraClient, clock: any WallClock
    ) {
        self.configuration = configuration
        self.store = store
        self.client = client
        self.clock = clock
    }

    /// Refreshes, stores the rotated refresh token, and returns the access token.
    ///
    /// A sign-in made for the default tenant also serves an organization's own tenant: Entra
    /// redeems a work account's refresh token at any tenant the account belongs to, so
    /// `login` without `--org` is enough for every organization.
    public func accessToken() async throws(SignInError) -> EntraAccessToken {
        var stored: StoredRefreshToken?
        do throws(KeyringError) {
            stored = try store.refreshToken(
                authority: configuration.authority, tenant: configuration.tenant, clientID: configuration.clientID)
            if stored == nil {
                stored = try store.refreshToken(
                    authority: configuration.authority, tenant: TenantDiscovery.defaultTenant,
                    clientID: configuration.clientID)
            }
        } catch { throw .keyring(error) }
        guard let stored else { throw .notSignedIn }
        let tokens: EntraTokens
        let asked = clock.now()
        do { tokens = try await client.refresh(stored.token) } catch { throw .entra(error) }
        let fresh = EntraAccessToken(token: tokens.accessToken, expiresAt: asked + Int64(tokens.expiresIn))
        if let rotated = tokens.refreshToken, rotated != stored.token {
            var next = stored
            next.token = rotated
            next.storedAt = clock.now()
            next.account = fresh.account ?? stored.account
            do { try store.saveRefreshToken(next) } catch { throw .keyring(error) }
        }
        // The expiry counts from when it was asked for: the token cannot outlive Entra's count.
        return fresh
    }
}

/// Access tokens from an existing Azure CLI sign-in:
/// `az account get-access-token --resource 499b84ac-… -o json`. The token arrives on the
/// child's stdout pipe, never through arguments or the environment.
public struct AzureCLITokenSource: AccessTokenSource {
    private let tenant: String?
    private let executable: String

    /// Uses `executable` (default `az`, looked up in PATH), for `tenant` when given.
    public init(tenant: String? = nil, executable: String = "az") {
        self.tenant = tenant
        self.executable = executable
    }

    /// The Azure CLI's access token for Azure DevOps, with its expiry when `az` gives it
    /// (`expires_on`, Azure CLI 2.54 and later).
    public func accessToken() async throws(SignInError) -> EntraAccessToken {
        var arguments = [
            executable, "account", "get-access-token", "--resource", "499b84ac-1321-427f-aa17-267ca6975798",
            "--output", "json",
        ]
        if let tenant { arguments += ["--tenant", tenant] }
        guard let output = ChildProcess.output(of: arguments) else {
            throw .azureCLI(detail: "`az account get-access-token` failed or is not installed")
        }
        struct Answer: Decodable {
            var accessToken: String
            var expiresOn: Int64?
            enum CodingKeys: String, CodingKey {
                case accessToken
                case expiresOn = "expires_on"
            }
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(output.utf8)) else {
            throw .azureCLI(detail: "its output was not the expected JSON")
        }
        return EntraAccessToken(token: Secret(answer.accessToken), expiresAt: answer.expiresOn)
    }
}

/// Remembers one access token per tenant for the life of a command, so a pass over many
/// organizations redeems (and rotates) the refresh token once per tenant, not once per
/// organization. Entra access tokens live about an hour, far longer than a pass.
public actor AccessTokenCache {
    private var tokens: [String: EntraAccessToken] = [:]

    /// An empty cache.
    public init() {}

    /// The token for `tenant`, from `source` the first time.
    public func token(tenant: String, from source: any AccessTokenSource) async throws(SignInError) -> EntraAccessToken {
        if let token = tokens[tenant] { return token }
        let token = try await source.accessToken()
        tokens[tenant] = token
        return token
    }
}
