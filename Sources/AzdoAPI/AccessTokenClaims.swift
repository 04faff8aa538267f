import AzdoCredential
import FoundationEssentials

extension EntraAccessToken {
    /// The account the token was issued to, from its JWT payload: `upn` (work accounts),
    /// else `preferred_username`, else `unique_name`; nil when the token is not a JWT or
    /// names none. The signature is not checked: the token came straight from Entra over
    /// TLS, and only Azure DevOps decides what it is worth.
    public var account: String? {
        let parts = token.value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var payload = parts[1].map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 }
        while payload.count % 4 != 0 { payload.append("=") }
        struct Claims: Decodable {
            var upn: String?
            var preferredUsername: String?
            var uniqueName: String?
            enum CodingKeys: String, CodingKey {
                case upn
                case preferredUsername = "preferred_username"
                case uniqueName = "unique_name"
            }
        }
        guard let data = Data(base64Encoded: String(payload)),
            let claims = try? JSONDecoder().decode(Claims.self, from: data)
        else { return nil }
        return [claims.upn, claims.preferredUsername, claims.uniqueName].lazy.compactMap { $0 }.first { !$0.isEmpty }
    }
}
