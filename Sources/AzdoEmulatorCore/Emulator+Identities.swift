import AzdoHTTP
import CAzdoTLS
import FoundationEssentials

/// Workload identities, as Entra, the Azure Instance Metadata Service and the CI platforms
/// answer for them:
///
/// - the client-credentials grant at `POST /{tenant}/oauth2/v2.0/token`, with a client
///   secret, a certificate's client assertion (RS256, checked against the registered
///   certificate: its `x5t#S256` thumbprint, the signature, the audience, issuer, subject and
///   lifetime), or a federated client assertion (an OIDC token this emulator issued for a
///   platform the app registration trusts, with audience `api://AzureADTokenExchange`);
/// - IMDS at `GET /metadata/identity/oauth2/token?api-version=…&resource=…[&client_id=…|
///   &msi_res_id=…]`, which wants `Metadata: true`;
/// - GitHub Actions' OIDC endpoint at `GET /_oidc/github?audience=…` (`Authorization:
///   bearer REQUEST_TOKEN`, answering `{"value": …}`), and Azure Pipelines' at `POST
///   …/oidctoken?api-version=…` (`Authorization: Bearer SYSTEM_ACCESSTOKEN`, answering
///   `{"oidcToken": …}`).
///
/// The access tokens these issue are accepted by git for the organizations the identity
/// was granted, until they expire on the emulator's clock.
extension Emulator {
    /// The audience a federated OIDC token must have.
    static let exchangeAudience = "api://AzureADTokenExchange"

    func identityControl(_ action: String, _ query: [String: String], body: Data?) -> HTTPResponse {
        let organizations = Set((query["orgs"] ?? "").split(separator: ",").map { $0.lowercased() })
        let text = String(decoding: body ?? Data(), as: UTF8.self)
        switch action {
        case "service-principal":
            guard let tenant = query["tenant"], let client = query["client"] else {
                return .json(400, #"{"message":"tenant and client are required"}"#)
            }
            let federated = Set((query["federated"] ?? "").split(separator: ",").map(String.init))
            let certificate = query["certificate"] == "true"
            withState {
                $0.servicePrincipals[client] = .init(
                    tenant: tenant, secret: text.isEmpty || certificate ? nil : text, certificate: certificate ? text : nil,
                    federated: federated, organizations: organizations)
            }
        case "managed-identity":
            guard let id = query["id"] else { return .json(400, #"{"message":"id is required"}"#) }
            withState { $0.managedIdentities[id] = organizations }
        case "oidc":
            guard let platform = query["platform"], !text.isEmpty else {
                return .json(400, #"{"message":"platform and a request token body are required"}"#)
            }
            withState { $0.oidcRequestTokens[text] = platform }
        default:
            return HTTPResponse(
                status: 200, headers: ["Content-Type": "text/plain"],
                body: Data(issueOIDCToken(platform: query["platform"] ?? "generic", audience: Self.exchangeAudience).utf8))
        }
        return .json(200, "{}")
    }

    /// The client-credentials grant, by secret or federated assertion.
    func clientCredentials(form: FormBody, tenant: String, origin: String) -> HTTPResponse {
        let client = form["client_id"] ?? ""
        guard let principal = withState({ $0.servicePrincipals[client] }), principal.tenant == tenant else {
            return Self.oauthError(
                "unauthorized_client",
                "AADSTS700016: Application with identifier '\(client)' was not found in the directory '\(tenant)'.")
        }
        if let secret = form["client_secret"] {
            guard secret == principal.secret else {
                return Self.oauthError("invalid_client", "AADSTS7000215: Invalid client secret provided.")
            }
        } else if let assertion = form["client_assertion"],
            form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        {
            let time = currentTime
            let issuer = withState { state -> String? in
                guard let token = state.oidcTokens[assertion], token.expiresAt > time else { return nil }
                return token.platform
            }
            if let certificate = principal.certificate, issuer == nil {
                if let refusal = Self.checkCertificateAssertion(
                    assertion, certificate: certificate, client: client, audience: "\(origin)/\(tenant)/oauth2/v2.0/token",
                    now: time)
                {
                    return Self.oauthError("invalid_client", refusal)
                }
            } else if issuer == nil || !principal.federated.contains(issuer ?? "") {
                return Self.oauthError(
                    "invalid_client", "AADSTS70021: No matching federated identity record found for presented assertion.")
            }
        } else {
            return Self.oauthError(
                "invalid_client", "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required.")
        }
        withState { $0.grants["client_credentials", default: 0] += 1 }
        let (token, lifetime) = issueIdentityToken(subject: client, organizations: principal.organizations)
        return .json(200, Self.object([
            "token_type": .string("Bearer"), "expires_in": .int(Int(lifetime)), "ext_expires_in": .int(Int(lifetime)),
            "access_token": .string(token),
        ]))
    }

    /// IMDS's token endpoint.
    func metadataService(_ request: HTTPRequest, query: [String: String]) -> HTTPResponse {
        guard request.headers.contains(where: { $0.key.lowercased() == "metadata" && $0.value == "true" }) else {
            return .json(400, #"{"error":"invalid_request","error_description":"Required metadata header not specified"}"#)
        }
        let id = query["client_id"] ?? query["msi_res_id"] ?? "system"
        guard query["resource"] == "499b84ac-1321-427f-aa17-267ca6975798",
            let organizations = withState({ $0.managedIdentities[id] })
        else {
            return .json(400, #"{"error":"invalid_request","error_description":"Identity not found"}"#)
        }
        withState { $0.grants["managed_identity", default: 0] += 1 }
        let (token, lifetime) = issueIdentityToken(subject: id, organizations: organizations)
        return .json(200, Self.object([
            "access_token": .string(token), "expires_in": .string(String(lifetime)),
            "expires_on": .string(String(currentTime + lifetime)), "resource": .string("499b84ac-1321-427f-aa17-267ca6975798"),
            "token_type": .string("Bearer"),
        ]))
    }

    /// GitHub Actions' ID-token endpoint.
    func githubOIDC(_ request: HTTPRequest, query: [String: String]) -> HTTPResponse {
        guard platform(of: request, scheme: "bearer") == "github" else {
            return .json(401, #"{"message":"Bad credentials"}"#)
        }
        let token = issueOIDCToken(platform: "github", audience: query["audience"] ?? "")
        return .json(200, Self.object(["count": .int(1), "value": .string(token)]))
    }

    /// Azure Pipelines' OIDC-token endpoint.
    func pipelinesOIDC(_ request: HTTPRequest) -> HTTPResponse {
        guard platform(of: request, scheme: "Bearer") == "azure-pipelines" else {
            return .json(401, #"{"message":"TF400813: The user is not authorized to access this resource."}"#)
        }
        return .json(200, Self.object(["oidcToken": .string(issueOIDCToken(platform: "azure-pipelines", audience: Self.exchangeAudience))]))
    }

    /// Why a certificate's client assertion is refused, as Entra words it; nil when it holds.
    static func checkCertificateAssertion(
        _ assertion: String, certificate: String, client: String, audience: String, now: Int64
    ) -> String? {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        struct Header: Decodable {
            var alg: String
            var thumbprint: String?
            enum CodingKeys: String, CodingKey {
                case alg
                case thumbprint = "x5t#S256"
            }
        }
        struct Claims: Decodable {
            var aud: String
            var iss: String
            var sub: String
            var exp: Int64
            var nbf: Int64?
        }
        guard parts.count == 3, let headerBytes = Self.base64URLDecoded(parts[0]),
            let header = try? JSONDecoder().decode(Header.self, from: headerBytes),
            let claimBytes = Self.base64URLDecoded(parts[1]),
            let claims = try? JSONDecoder().decode(Claims.self, from: claimBytes),
            let signature = Self.base64URLDecoded(parts[2])
        else { return "AADSTS50027: JWT token is invalid or malformed." }
        let pem = Array(certificate.utf8)
        var digest = [UInt8](repeating: 0, count: 32)
        guard header.alg == "RS256", CAzdoTLS_certificate_sha256(pem, pem.count, &digest) == CAZDO_TLS_OK,
            header.thumbprint == Self.base64URL(Data(digest))
        else { return "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application." }
        let signed = Array((parts[0] + "." + parts[1]).utf8)
        let signatureBytes = [UInt8](signature)
        guard CAzdoTLS_verify_rs256(pem, pem.count, signed, signed.count, signatureBytes, signatureBytes.count) == CAZDO_TLS_OK
        else { return "AADSTS700027: Client assertion failed signature validation." }
        guard claims.aud == audience, claims.iss == client, claims.sub == client else {
            return "AADSTS700016: The client assertion's audience, issuer or subject does not name this application and token endpoint."
        }
        guard claims.exp > now, (claims.nbf ?? now) <= now + 300 else {
            return "AADSTS700024: Client assertion is not within its valid time range."
        }
        return nil
    }

    private func platform(of request: HTTPRequest, scheme: String) -> String? {
        guard let header = request.headers.first(where: { $0.key.lowercased() == "authorization" })?.value,
            header.hasPrefix(scheme + " ")
        else { return nil }
        let token = String(header.dropFirst(scheme.count + 1))
        return withState { $0.oidcRequestTokens[token] }
    }

    /// An OIDC token from `platform`'s issuer for `audience`; only `api://AzureADTokenExchange`
    /// ones can be exchanged.
    private func issueOIDCToken(platform: String, audience: String) -> String {
        let expiresAt = currentTime + 300
        let token = jwt(#"{"iss":"https://\#(platform).oidc.emulator.test","aud":"\#(audience)","exp":\#(expiresAt)}"#)
        if audience == Self.exchangeAudience { withState { $0.oidcTokens[token] = (platform, expiresAt) } }
        recordIssued([token])
        return token
    }

    private func issueIdentityToken(subject: String, organizations: Set<String>) -> (String, Int64) {
        let lifetime = withState { $0.accessTokenLifetime }
        let expiresAt = currentTime + lifetime
        let token = jwt(#"{"aud":"499b84ac-1321-427f-aa17-267ca6975798","appid":"\#(subject)","exp":\#(expiresAt)}"#)
        withState { $0.identityTokens[token] = (expiresAt, organizations) }
        recordIssued([token])
        return (token, lifetime)
    }
}
