public import AzdoAPI
public import AzdoCredential
public import AzdoLifecycle
import AzdoSystem

/// The sign-in as `status` shows it: how access tokens are had, each stored Entra sign-in
/// (account, tenant, last renewal; never the token), and which organizations git gives
/// Microsoft Entra tokens (`credentialType oauth`).
public struct SignInStatus: Sendable, Equatable, Encodable {
    /// One stored sign-in.
    public struct Account: Sendable, Equatable, Encodable {
        /// The tenant it was made for.
        public var tenant: String
        /// The account (UPN), when known.
        public var account: String?
        /// When its refresh token was last renewed (Unix seconds).
        public var lastRenewal: Int64
    }

    /// `entra` (the `login` refresh token) or `azure-cli`.
    public var method: String
    /// Every stored sign-in, by tenant.
    public var accounts: [Account]
    /// The credential type of organizations without their own: `pat` or `oauth`.
    public var defaultCredentialType: String
    /// Organizations set to `oauth` by name, sorted.
    public var oauthOrganizations: [String]

    /// The status from the stored sign-ins and the settings.
    public init(signIns: [StoredRefreshToken], settings: LifecycleSettings, refreshSettings: RefreshSettings) {
        method = settings.signIn.rawValue
        accounts = signIns.map { Account(tenant: $0.tenant, account: $0.account, lastRenewal: $0.storedAt) }
        defaultCredentialType = refreshSettings.credentialTypes.defaultType.rawValue
        oauthOrganizations = refreshSettings.credentialTypes.organizations.filter { $0.value == .oauth }.map(\.key).sorted()
    }

    /// The lines `status` prints under its table.
    public var lines: [String] {
        var lines: [String] = []
        if method == SignInMethod.azureCLI.rawValue {
            lines.append("sign-in: the Azure CLI's (azdo.signIn=azure-cli)")
        } else if accounts.isEmpty {
            lines.append("sign-in: none; `git credential-azdo login` lets PATs be renewed and Entra tokens be had")
        }
        for account in accounts {
            lines.append("sign-in: \(account.account ?? "an account") (tenant \(account.tenant)), renewed "
                + CivilDate.string(fromUnixSeconds: account.lastRenewal))
        }
        if defaultCredentialType == CredentialType.oauth.rawValue {
            lines.append("git gets Microsoft Entra tokens for every organization (azdo.credentialType=oauth)")
        } else if !oauthOrganizations.isEmpty {
            lines.append("git gets Microsoft Entra tokens for: \(oauthOrganizations.joined(separator: ", "))")
        }
        return lines
    }
}
