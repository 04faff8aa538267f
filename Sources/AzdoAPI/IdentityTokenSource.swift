public import AzdoCredential
public import AzdoHTTP
public import AzdoSystem
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// Access tokens for Azure DevOps from a workload identity (`WorkloadIdentity`): a service
/// principal's client-credentials grant, the Azure Instance Metadata Service for a managed
/// identity, or a CI platform's OIDC token exchanged as a federated client assertion.
/// Secrets come from files, the environment or the platform's endpoints and go only to
/// Entra (or IMDS); none is ever put in arguments or a child's environment.
public struct IdentityTokenSource: AccessTokenSource {
    /// Where the endpoints are.
    public struct Endpoints: Sendable {
        /// The Entra authority (`https://login.microsoftonline.com`).
        public var authority: String
        /// The Instance Metadata Service (`http://169.254.169.254`).
        public var imds: String
        /// The audience of the federated token (`api://AzureADTokenExchange`).
        public var federationAudience: String

        /// The defaults: Microsoft's endpoints.
        public static let defaultIMDS = "http://169.254.169.254"
        /// Entra's audience for token exchange.
        public static let defaultAudience = "api://AzureADTokenExchange"

        /// Creates endpoints.
        public init(authority: String, imds: String = defaultIMDS, federationAudience: String = defaultAudience) {
            self.authority = authority
            self.imds = imds
            self.federationAudience = federationAudience
        }
    }

    private let identity: WorkloadIdentity
    private let endpoints: Endpoints
    private let environment: [String: String]
    private let transport: any HTTPTransport
    private let imdsTransport: any HTTPTransport
    private let clock: any WallClock

    /// A source for `identity`; `imdsTransport` (a short time-out, no proxy) serves only the
    /// metadata service, `environment` holds the CI platform's variables.
    public init(
        identity: WorkloadIdentity, endpoints: Endpoints, environment: [String: String], transport: any HTTPTransport,
        imdsTransport: any HTTPTransport, clock: any WallClock
    ) {
        self.identity = identity
        self.endpoints = endpoints
        self.environment = environment
        self.transport = transport
        self.imdsTransport = imdsTransport
        self.clock = clock
    }

    /// A token for Azure DevOps, with its expiry.
    public func accessToken() async throws(SignInError) -> EntraAccessToken {
        let asked = clock.now()
        switch identity {
        case .managedIdentity(let selector):
            return try await managedIdentity(selector)
        case .servicePrincipal(let tenant, let clientID, let credential):
            switch credential {
            case .secretFile(let path):
                let secret = try Self.readPrivateFile(path, setting: "azdo.servicePrincipalSecretFile")
                return try await exchange(tenant: tenant, clientID: clientID, secret: secret, assertion: nil, asked: asked)
            case .secretVariable(let name):
                guard let value = environment[name], !value.isEmpty else {
                    throw .identity(.secretVariableUnset(name: name))
                }
                return try await exchange(
                    tenant: tenant, clientID: clientID, secret: Secret(value), assertion: nil, asked: asked)
            case .certificate(let path):
                let pem = try Self.readPrivateFile(path, setting: "azdo.servicePrincipalCertificate").value
                let tokenURL = EntraConfiguration(authority: endpoints.authority, tenant: tenant, clientID: clientID).tokenURL
                let assertion: Secret
                do {
                    assertion = try ClientAssertion.signed(
                        pem: Array(pem.utf8), clientID: clientID, tokenURL: tokenURL, now: asked, path: path)
                } catch {
                    throw .identity(error)
                }
                return try await exchange(tenant: tenant, clientID: clientID, secret: nil, assertion: assertion, asked: asked)
            }
        case .federation(let source, let tenant, let clientID):
            let assertion = try await federatedToken(source)
            return try await exchange(tenant: tenant, clientID: clientID, secret: nil, assertion: assertion, asked: asked)
        }
    }

    private func exchange(tenant: String, clientID: String, secret: Secret?, assertion: Secret?, asked: Int64)
        async throws(SignInError) -> EntraAccessToken
    {
        let client = EntraClient(
            configuration: EntraConfiguration(authority: endpoints.authority, tenant: tenant, clientID: clientID),
            transport: transport, sleeper: NoRetrySleeper(), clock: clock)
        do {
            let tokens = try await client.clientCredentials(secret: secret, assertion: assertion)
            return EntraAccessToken(token: tokens.accessToken, expiresAt: asked + Int64(tokens.expiresIn))
        } catch {
            throw .entra(error)
        }
    }

    /// IMDS: `GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=…` with
    /// `Metadata: true`; one try, on the short-time-out transport.
    private func managedIdentity(_ selector: ManagedIdentitySelector) async throws(SignInError) -> EntraAccessToken {
        var query = [("api-version", "2018-02-01"), ("resource", EntraConfiguration.azureDevOpsResource)]
        switch selector {
        case .system: break
        case .clientID(let id): query.append(("client_id", id))
        case .resourceID(let id): query.append(("msi_res_id", id))
        }
        let url = endpoints.imds + "/metadata/identity/oauth2/token?" + URLQuery.encode(query)
        let response: HTTPResponse
        do {
            response = try await imdsTransport.send(HTTPRequest(method: "GET", url: url, headers: ["Metadata": "true"]))
        } catch {
            throw .identity(.imdsUnreachable(url: endpoints.imds, detail: error.description))
        }
        struct Answer: Decodable {
            var accessToken: String?
            var expiresOn: String?
            var error: String?
            var errorDescription: String?
            enum CodingKeys: String, CodingKey {
                case accessToken = "access_token"
                case expiresOn = "expires_on"
                case error
                case errorDescription = "error_description"
            }
        }
        let answer = try? JSONDecoder().decode(Answer.self, from: response.body)
        guard response.status == 200, let token = answer?.accessToken else {
            throw .identity(.imdsRefused(
                status: response.status, detail: answer?.errorDescription ?? answer?.error ?? "no token in the answer"))
        }
        return EntraAccessToken(token: Secret(token), expiresAt: answer?.expiresOn.flatMap { Int64($0) })
    }

    /// The platform's OIDC token for `endpoints.federationAudience`.
    private func federatedToken(_ source: FederationSource) async throws(SignInError) -> Secret {
        switch source {
        case .generic(let path):
            guard let token = Self.readFile(path) else { throw .identity(.federatedTokenFileUnreadable(path: path)) }
            return token
        case .github:
            guard let url = environment["ACTIONS_ID_TOKEN_REQUEST_URL"], let token = environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]
            else {
                throw .identity(.oidcVariablesMissing(
                    platform: "GitHub Actions", variables: "ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN",
                    fix: "give the job `permissions: id-token: write`"))
            }
            let separator = url.contains("?") ? "&" : "?"
            let request = HTTPRequest(
                method: "GET", url: url + separator + URLQuery.encode([("audience", endpoints.federationAudience)]),
                headers: ["Authorization": "bearer \(token)", "Accept": "application/json"])
            return try await oidc(request, platform: "GitHub Actions", field: "value")
        case .azurePipelines:
            guard let url = environment["SYSTEM_OIDCREQUESTURI"], let token = environment["SYSTEM_ACCESSTOKEN"] else {
                throw .identity(.oidcVariablesMissing(
                    platform: "Azure Pipelines", variables: "SYSTEM_OIDCREQUESTURI and SYSTEM_ACCESSTOKEN",
                    fix: "map the token into the step with `env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)`"))
            }
            var query = [("api-version", "7.1-preview.1")]
            if let connection = environment["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"] {
                query.append(("serviceConnectionId", connection))
            }
            let request = HTTPRequest(
                method: "POST", url: url + (url.contains("?") ? "&" : "?") + URLQuery.encode(query),
                headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json", "Accept": "application/json"],
                body: Data("{}".utf8))
            return try await oidc(request, platform: "Azure Pipelines", field: "oidcToken")
        }
    }

    private func oidc(_ request: HTTPRequest, platform: String, field: String) async throws(SignInError) -> Secret {
        let response: HTTPResponse
        do { response = try await transport.send(request) } catch {
            throw .identity(.oidcRequestFailed(platform: platform, detail: error.description))
        }
        let decoder = JSONDecoder()
        decoder.userInfo[OIDCAnswer.fieldKey] = field
        let answer = try? decoder.decode(OIDCAnswer.self, from: response.body)
        guard response.status == 200, let value = answer?.token, !value.isEmpty else {
            throw .identity(.oidcRequestFailed(platform: platform, detail: "HTTP \(response.status), no `\(field)` in the answer"))
        }
        return Secret(value)
    }

    /// A secret file's content (a secret, or a PEM with a private key), if only its owner
    /// can read it.
    static func readPrivateFile(_ path: String, setting: String) throws(SignInError) -> Secret {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .identity(.secretFileUnreadable(path: path, setting: setting)) }
        guard info.st_mode & 0o077 == 0, info.st_uid == getuid() else {
            throw .identity(.secretFileExposed(path: path, mode: String(info.st_mode & 0o777, radix: 8)))
        }
        guard let secret = readFile(path) else { throw .identity(.secretFileUnreadable(path: path, setting: setting)) }
        return secret
    }

    /// A file's content without surrounding whitespace; nil when unreadable or empty.
    static func readFile(_ path: String) -> Secret? {
        guard let bytes = StateFile.read(path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        return text.isEmpty ? nil : Secret(String(text))
    }
}

/// A CI platform's OIDC answer: the token in the field the decoder's `fieldKey` names
/// (`value` for GitHub, `oidcToken` for Azure Pipelines), whatever else it holds.
private struct OIDCAnswer: Decodable {
    static let fieldKey = CodingUserInfoKey(rawValue: "field")!
    var token: String?

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let field = decoder.userInfo[Self.fieldKey] as? String ?? "value"
        token = try decoder.container(keyedBy: Key.self).decodeIfPresent(String.self, forKey: Key(stringValue: field))
    }
}

/// Never retries: a build must fail fast, not stall on a stack of retries.
private struct NoRetrySleeper: RetrySleeper {
    func sleep(seconds: Int) async {}
}

/// Why a workload identity got no token; each names the setting or variable to fix.
public enum IdentityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The identity settings are incomplete.
    case settings(IdentitySettingsError)
    /// The secret (or certificate) file `setting` names is missing or unreadable.
    case secretFileUnreadable(path: String, setting: String)
    /// The secret file can be read by others.
    case secretFileExposed(path: String, mode: String)
    /// The variable that should hold the secret is unset.
    case secretVariableUnset(name: String)
    /// Certificate credentials need GnuTLS (`libgnutls30`), which could not be loaded.
    case certificateUnsupported(path: String)
    /// The certificate file lacks the certificate or its key.
    case certificateUnusable(path: String, detail: String)
    /// The metadata service did not answer (not on Azure, or blocked).
    case imdsUnreachable(url: String, detail: String)
    /// The metadata service answered without a token.
    case imdsRefused(status: Int, detail: String)
    /// The CI platform's OIDC variables are missing.
    case oidcVariablesMissing(platform: String, variables: String, fix: String)
    /// The CI platform's OIDC endpoint gave no token.
    case oidcRequestFailed(platform: String, detail: String)
    /// The federated token file is missing, unreadable or empty.
    case federatedTokenFileUnreadable(path: String)

    /// One line: what is wrong and which setting fixes it.
    public var description: String {
        switch self {
        case .settings(let error): return error.description
        case .secretFileUnreadable(let path, let setting):
            return "cannot read the service principal's secret file \(DisplayText.quoted(path)); check \(setting)"
        case .secretFileExposed(let path, let mode):
            return "the service principal's secret file \(DisplayText.quoted(path)) can be read by others (mode \(mode)); "
                + "run `chmod 600 \(path)`"
        case .secretVariableUnset(let name):
            return "the variable \(name) named by azdo.servicePrincipalSecretEnv is not set; pass the secret to the job in it"
        case .certificateUnsupported(let path):
            return "certificate credentials (azdo.servicePrincipalCertificate \(DisplayText.quoted(path))) need GnuTLS; "
                + "install libgnutls30"
        case .certificateUnusable(let path, let detail):
            return "the certificate file \(DisplayText.quoted(path)) (azdo.servicePrincipalCertificate) is unusable: "
                + "\(detail); it must hold the certificate and its private key, in PEM"
        case .imdsUnreachable(let url, let detail):
            return "the Azure Instance Metadata Service (\(url)) did not answer (\(detail)); azdo.managedIdentity works only "
                + "on Azure (a VM, a scale set, App Service), or set GIT_CREDENTIAL_AZDO_IMDS_URL"
        case .imdsRefused(let status, let detail):
            return "the Azure Instance Metadata Service gave no token (HTTP \(status): \(detail)); check azdo.managedIdentity "
                + "names an identity assigned to this machine"
        case .oidcVariablesMissing(let platform, let variables, let fix):
            return "\(platform) did not set \(variables), so there is no OIDC token for azdo.workloadFederation; \(fix)"
        case .oidcRequestFailed(let platform, let detail):
            return "\(platform) gave no OIDC token (\(detail)); check the pipeline's federated credential"
        case .federatedTokenFileUnreadable(let path):
            return "cannot read the federated token file \(DisplayText.quoted(path)); check azdo.federatedTokenFile or "
                + "AZURE_FEDERATED_TOKEN_FILE"
        }
    }
}
