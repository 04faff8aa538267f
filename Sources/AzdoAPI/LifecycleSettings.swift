import AzdoCredential
public import AzdoHTTP
public import AzdoSystem

/// Where sign-in and the PAT API live, from the environment or the user's global/system git
/// config only (a repository cannot redirect tokens). Defaults are Microsoft's endpoints and
/// the Visual Studio public client id that Git Credential Manager also uses, which tenants
/// already consent to for Azure DevOps.
public struct LifecycleSettings: Sendable, Equatable {
    /// The Visual Studio public client id (see README, "Sign-in").
    public static let defaultClientID = "872cd9fa-d31f-45e0-9eab-6e460a02d1f1"
    /// Microsoft Entra's authority host.
    public static let defaultAuthority = "https://login.microsoftonline.com"

    /// The Entra authority host.
    public var authority: String
    /// The public client id.
    public var clientID: String
    /// The tenant to sign in to.
    public var tenant: String
    /// The PAT API's base URL (`https://vssps.dev.azure.com`).
    public var apiBaseURL: String
    /// Whether `tenant` was given (option, environment or config) rather than defaulted, so
    /// it must not be replaced by the tenant discovered for an organization.
    public var tenantIsExplicit: Bool
    /// Seconds an HTTP request may take before it counts as timed out.
    public var httpTimeoutSeconds: Int64
    /// Where access tokens for the PAT API come from.
    public var signIn: SignInMethod
    /// The Azure Instance Metadata Service, for managed identities.
    public var imdsURL = IdentityTokenSource.Endpoints.defaultIMDS
    /// The audience a federated workload identity's OIDC token is asked for.
    public var federationAudience = IdentityTokenSource.Endpoints.defaultAudience

    /// Creates settings.
    public init(
        authority: String = defaultAuthority, clientID: String = defaultClientID, tenant: String? = nil,
        apiBaseURL: String = PATClient.defaultBaseURL, httpTimeoutSeconds: Int64 = 30,
        signIn: SignInMethod = .entra
    ) {
        self.signIn = signIn
        self.authority = authority
        self.clientID = clientID
        self.tenant = tenant ?? TenantDiscovery.defaultTenant
        self.tenantIsExplicit = tenant != nil
        self.apiBaseURL = apiBaseURL
        self.httpTimeoutSeconds = httpTimeoutSeconds
    }

    /// The settings that decide where tokens go and which client signs in: a repository's
    /// own config setting one of them is ignored with a warning.
    public static let redirectingKeys: Set<String> = [
        "azdo.authority", "azdo.clientid", "azdo.tenant", "azdo.apiurl", "azdo.imdsurl", "azdo.federationaudience",
    ]

    /// Reads `GIT_CREDENTIAL_AZDO_{AUTHORITY,CLIENT_ID,TENANT,API_URL,HTTP_TIMEOUT,SIGN_IN,
    /// IMDS_URL,FEDERATION_AUDIENCE}`, then `azdo.{authority,clientId,tenant,apiUrl,
    /// httpTimeout,signIn,imdsUrl,federationAudience}` from global or system git config (an
    /// unknown `signIn` is reported and read as `entra`);
    /// `diagnostics` hears about each of `redirectingKeys` set by any other scope (a cloned
    /// repository's `.git/config`, `-c`).
    public static func load(tenant: String? = nil, diagnostics: (any DiagnosticSink)? = nil) -> LifecycleSettings {
        // One `git config` run for every key; git lower-cases the names it prints.
        var config: [String: String] = [:]
        for entry in UserGitConfig.scopedEntries(matching: #"^azdo\."#) {
            let key = entry.key.lowercased()
            if UserGitConfig.isUserScope(entry.scope) {
                config[key] = entry.value
            } else if redirectingKeys.contains(key) {
                diagnostics?.report(
                    "ignoring \(entry.key)=\(DisplayText.quoted(entry.value)) from \(entry.scope) git config: only global or "
                        + "system config may change where tokens go (git config --global \(entry.key) VALUE)")
            }
        }
        func setting(_ variable: String, _ key: String) -> String? {
            Environment.value("GIT_CREDENTIAL_AZDO_\(variable)").flatMap { $0.isEmpty ? nil : $0 }
                ?? config[key.lowercased()]
        }
        let timeout = setting("HTTP_TIMEOUT", "azdo.httpTimeout").flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil }
        var settings = LifecycleSettings(
            authority: setting("AUTHORITY", "azdo.authority") ?? defaultAuthority,
            clientID: setting("CLIENT_ID", "azdo.clientId") ?? defaultClientID,
            tenant: tenant ?? setting("TENANT", "azdo.tenant"),
            apiBaseURL: setting("API_URL", "azdo.apiUrl") ?? PATClient.defaultBaseURL,
            httpTimeoutSeconds: timeout ?? 30,
            signIn: signInMethod(setting("SIGN_IN", "azdo.signIn"), diagnostics: diagnostics))
        if let imds = setting("IMDS_URL", "azdo.imdsUrl") { settings.imdsURL = imds }
        if let audience = setting("FEDERATION_AUDIENCE", "azdo.federationAudience") { settings.federationAudience = audience }
        return settings
    }

    private static func signInMethod(_ value: String?, diagnostics: (any DiagnosticSink)?) -> SignInMethod {
        guard let value else { return .entra }
        if let method = SignInMethod(rawValue: value.lowercased()) { return method }
        diagnostics?.report(
            "ignoring azdo.signIn=\(DisplayText.quoted(value)): it is `entra` or `azure-cli` "
                + "(git config --global azdo.signIn entra)")
        return .entra
    }

    /// These settings with the tenant `organization` belongs to, as Azure DevOps names it
    /// (see `TenantDiscovery`), unless a tenant was given explicitly.
    public func discoveringTenant(of organization: String, transport: any HTTPTransport) async -> LifecycleSettings {
        guard !tenantIsExplicit else { return self }
        var settings = self
        settings.tenant = await TenantDiscovery.tenant(of: organization, server: gitServer, transport: transport)
        return settings
    }

    /// The tenant to name to the Azure CLI: the given or discovered one, nil for the default
    /// (`az` then uses its own signed-in tenant).
    public var azureCLITenant: String? {
        tenant == TenantDiscovery.defaultTenant ? nil : tenant
    }

    /// The Entra configuration these settings describe.
    public var entra: EntraConfiguration {
        EntraConfiguration(authority: authority, tenant: tenant, clientID: clientID)
    }

    /// The server PATs from this API are stored under: `https://dev.azure.com` for the real
    /// service, else the API's own base (the emulator serves git there too).
    public var gitServer: String {
        apiBaseURL == PATClient.defaultBaseURL ? RemoteTarget.azureDevOpsServer : apiBaseURL
    }
}

/// Where the lifecycle commands get Entra access tokens: the refresh token `login` stores,
/// or an existing Azure CLI sign-in (`login --azure-cli` chooses it).
public enum SignInMethod: String, Sendable, Equatable {
    /// The refresh token from `login` (browser or device code), in the keyring.
    case entra
    /// `az account get-access-token`, from the user's `az login`.
    case azureCLI = "azure-cli"
}
