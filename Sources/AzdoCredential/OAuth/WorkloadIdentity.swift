import AzdoSystem

/// An identity without a person, for CI runners and servers: a service principal, an Azure
/// managed identity, or a workload identity federated from a CI platform's OIDC token.
/// git gets its Microsoft Entra access tokens for Azure DevOps; no keyring is needed.
public enum WorkloadIdentity: Sendable, Equatable {
    /// A service principal (`azdo.servicePrincipal = TENANT/CLIENT_ID`) with its credential.
    case servicePrincipal(tenant: String, clientID: String, credential: ServicePrincipalCredential)
    /// An Azure managed identity, through the Instance Metadata Service.
    case managedIdentity(ManagedIdentitySelector)
    /// A federated workload identity: the platform's OIDC token is the client assertion of
    /// the app registration `clientID` in `tenant`.
    case federation(FederationSource, tenant: String, clientID: String)

    /// A name for its token cache, unique per identity and without any secret.
    public var cacheName: String {
        let raw: String
        switch self {
        case .servicePrincipal(let tenant, let clientID, _): raw = "sp-\(tenant)-\(clientID)"
        case .managedIdentity(.system): raw = "mi-system"
        case .managedIdentity(.clientID(let id)): raw = "mi-\(id)"
        case .managedIdentity(.resourceID(let id)): raw = "mi-resource-\(id)"
        case .federation(let source, let tenant, let clientID): raw = "wif-\(source.name)-\(tenant)-\(clientID)"
        }
        return String(raw.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") ? $0 : "_" })
    }
}

/// How a service principal proves itself.
public enum ServicePrincipalCredential: Sendable, Equatable {
    /// A client secret in a file only its owner can read (`azdo.servicePrincipalSecretFile`).
    case secretFile(String)
    /// A client secret in the environment variable of this name (`azdo.servicePrincipalSecretEnv`).
    case secretVariable(String)
    /// A PEM file with the certificate and its private key (`azdo.servicePrincipalCertificate`).
    case certificate(String)
}

/// Which managed identity: `system`, a user-assigned one's client id, or its resource id
/// (`resource://…`).
public enum ManagedIdentitySelector: Sendable, Equatable {
    /// The system-assigned identity.
    case system
    /// A user-assigned identity, by client id.
    case clientID(String)
    /// A user-assigned identity, by Azure resource id.
    case resourceID(String)
}

/// Where a federated OIDC token comes from.
public enum FederationSource: Sendable, Equatable {
    /// GitHub Actions (`ACTIONS_ID_TOKEN_REQUEST_URL`/`_TOKEN`, with `id-token: write`).
    case github
    /// Azure Pipelines (`SYSTEM_OIDCREQUESTURI` with `SYSTEM_ACCESSTOKEN`).
    case azurePipelines
    /// A token file (`azdo.federatedTokenFile` or `AZURE_FEDERATED_TOKEN_FILE`, as
    /// Kubernetes workload identity mounts it).
    case generic(tokenFile: String)

    /// `github`, `azure-pipelines` or `generic`.
    public var name: String {
        switch self {
        case .github: return "github"
        case .azurePipelines: return "azure-pipelines"
        case .generic: return "generic"
        }
    }
}

/// Why the identity settings name no usable identity.
public enum IdentitySettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `azdo.servicePrincipal` is not `TENANT/CLIENT_ID`.
    case malformedServicePrincipal(String)
    /// A service principal without a secret file, secret variable or certificate.
    case noServicePrincipalCredential
    /// `azdo.workloadFederation` is none of the known platforms.
    case unknownFederation(String)
    /// Federation without the app registration to federate with.
    case noFederatedClient
    /// Generic federation without a token file.
    case noFederatedTokenFile

    /// One line: what is wrong and which setting fixes it.
    public var description: String {
        switch self {
        case .malformedServicePrincipal(let value):
            return "azdo.servicePrincipal is \(DisplayText.quoted(value)); it is TENANT/CLIENT_ID "
                + "(git config --global azdo.servicePrincipal contoso.onmicrosoft.com/00000000-0000-0000-0000-000000000000)"
        case .noServicePrincipalCredential:
            return "azdo.servicePrincipal has no credential; set azdo.servicePrincipalSecretFile (a file only you can read), "
                + "azdo.servicePrincipalSecretEnv (the name of a variable holding the secret) or azdo.servicePrincipalCertificate"
        case .unknownFederation(let value):
            return "azdo.workloadFederation is \(DisplayText.quoted(value)); it is github, azure-pipelines or generic"
        case .noFederatedClient:
            return "azdo.workloadFederation needs the app registration it federates with: azdo.servicePrincipal = "
                + "TENANT/CLIENT_ID (no secret), or AZURE_TENANT_ID and AZURE_CLIENT_ID"
        case .noFederatedTokenFile:
            return "azdo.workloadFederation generic needs the token file: azdo.federatedTokenFile or AZURE_FEDERATED_TOKEN_FILE"
        }
    }
}

/// The identity settings: `azdo.servicePrincipal`, `azdo.servicePrincipalSecretFile`,
/// `azdo.servicePrincipalSecretEnv`, `azdo.servicePrincipalCertificate`,
/// `azdo.managedIdentity`, `azdo.workloadFederation` and `azdo.federatedTokenFile`, each
/// also per organization (`azdo.ORG.…`), from global or system config, with the
/// `GIT_CREDENTIAL_AZDO_…` variables overriding config (and `AZURE_TENANT_ID`,
/// `AZURE_CLIENT_ID`, `AZURE_FEDERATED_TOKEN_FILE` as Kubernetes workload identity sets them).
public struct IdentitySettings: Sendable, Equatable {
    /// The variable names whose mention in a config file means an identity may be set
    /// there (for `GitConfigScan`; `serviceprincipal` covers its secret and certificate too).
    public static let variableNames = [
        "serviceprincipal", "managedidentity", "workloadfederation", "federatedtokenfile",
    ]

    /// The settings' variable names as the environment spells them.
    static let environment: [(variable: String, key: String)] = [
        ("GIT_CREDENTIAL_AZDO_SERVICE_PRINCIPAL", "serviceprincipal"),
        ("GIT_CREDENTIAL_AZDO_SERVICE_PRINCIPAL_SECRET_FILE", "serviceprincipalsecretfile"),
        ("GIT_CREDENTIAL_AZDO_SERVICE_PRINCIPAL_SECRET_ENV", "serviceprincipalsecretenv"),
        ("GIT_CREDENTIAL_AZDO_SERVICE_PRINCIPAL_CERTIFICATE", "serviceprincipalcertificate"),
        ("GIT_CREDENTIAL_AZDO_MANAGED_IDENTITY", "managedidentity"),
        ("GIT_CREDENTIAL_AZDO_WORKLOAD_FEDERATION", "workloadfederation"),
        ("GIT_CREDENTIAL_AZDO_FEDERATED_TOKEN_FILE", "federatedtokenfile"),
    ]

    private var general: [String: String] = [:]
    private var organizations: [String: [String: String]] = [:]
    private var azure: [String: String] = [:]

    /// Settings from config entries in git's order (keys as git prints them, a later entry
    /// winning) and `environment` (which overrides them).
    public init(entries: [(key: String, value: String)], environment: (String) -> String?) {
        for (key, value) in entries {
            let parts = key.lowercased().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2, parts[0] == "azdo", let name = parts.last else { continue }
            if parts.count == 2 {
                general[name] = value
            } else {
                organizations[parts.dropFirst().dropLast().joined(separator: "."), default: [:]][name] = value
            }
        }
        for (variable, key) in Self.environment {
            if let value = environment(variable), !value.isEmpty { general[key] = value }
        }
        for variable in ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"] {
            if let value = environment(variable), !value.isEmpty { azure[variable] = value }
        }
    }

    /// The identity `organization` uses: its own settings when it has any, else the general
    /// ones; nil when none is configured, a failure when the settings are incomplete.
    public func identity(for organization: String) -> Result<WorkloadIdentity, IdentitySettingsError>? {
        let own = organizations[organization.lowercased()] ?? [:]
        let kinds = ["serviceprincipal", "managedidentity", "workloadfederation"]
        let settings = kinds.contains { own[$0] != nil } ? own.merging(general) { mine, _ in mine } : general
        if let federation = settings["workloadfederation"] { return Self.federation(federation, settings, azure) }
        if let principal = settings["serviceprincipal"] {
            guard let (tenant, clientID) = Self.split(principal) else { return .failure(.malformedServicePrincipal(principal)) }
            let credential: ServicePrincipalCredential
            if let file = settings["serviceprincipalsecretfile"] {
                credential = .secretFile(file)
            } else if let variable = settings["serviceprincipalsecretenv"] {
                credential = .secretVariable(variable)
            } else if let certificate = settings["serviceprincipalcertificate"] {
                credential = .certificate(certificate)
            } else {
                return .failure(.noServicePrincipalCredential)
            }
            return .success(.servicePrincipal(tenant: tenant, clientID: clientID, credential: credential))
        }
        if let managed = settings["managedidentity"] {
            if managed.lowercased() == "system" { return .success(.managedIdentity(.system)) }
            if managed.hasPrefix("resource://") {
                return .success(.managedIdentity(.resourceID(String(managed.dropFirst("resource://".count)))))
            }
            return .success(.managedIdentity(.clientID(managed)))
        }
        return nil
    }

    private static func federation(
        _ value: String, _ settings: [String: String], _ azure: [String: String]
    ) -> Result<WorkloadIdentity, IdentitySettingsError> {
        let source: FederationSource
        switch value.lowercased() {
        case "github": source = .github
        case "azure-pipelines": source = .azurePipelines
        case "generic":
            guard let file = settings["federatedtokenfile"] ?? azure["AZURE_FEDERATED_TOKEN_FILE"] else {
                return .failure(.noFederatedTokenFile)
            }
            source = .generic(tokenFile: file)
        default: return .failure(.unknownFederation(value))
        }
        if let principal = settings["serviceprincipal"] {
            guard let (tenant, clientID) = split(principal) else { return .failure(.malformedServicePrincipal(principal)) }
            return .success(.federation(source, tenant: tenant, clientID: clientID))
        }
        guard let tenant = azure["AZURE_TENANT_ID"], let clientID = azure["AZURE_CLIENT_ID"] else {
            return .failure(.noFederatedClient)
        }
        return .success(.federation(source, tenant: tenant, clientID: clientID))
    }

    private static func split(_ value: String) -> (String, String)? {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
