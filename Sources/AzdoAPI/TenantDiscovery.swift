public import AzdoHTTP
import AzdoSystem

/// Which Microsoft Entra tenant signs in for an organization, read from what Azure DevOps
/// says about itself (protocols.md 3.4, as Git Credential Manager does it):
///
/// 1. the `authorization_uri` of a `WWW-Authenticate: Bearer` challenge (git 2.41+ passes
///    these to the helper as `wwwauth[]`, or an unauthenticated request returns them);
/// 2. else `X-VSS-ResourceTenant`: the first non-zero GUID; a lone all-zero GUID means a
///    Microsoft-account-backed organization, served by `organizations`;
/// 3. else `common`.
public enum TenantDiscovery {
    /// The tenant used when none is given or discovered: any work or school account, and
    /// Microsoft accounts through pass-through.
    public static let defaultTenant = "organizations"

    /// Asks `server` (`https://dev.azure.com`) anonymously about `organization`
    /// (`HEAD {server}/{organization}`) and reads the tenant from the 401. Without an answer
    /// it falls back to `defaultTenant`, so sign-in still works for most accounts.
    public static func tenant(of organization: String, server: String, transport: any HTTPTransport) async -> String {
        guard let response = try? await transport.send(
            HTTPRequest(method: "HEAD", url: "\(server)/\(URLQuery.escape(organization))"))
        else { return defaultTenant }
        func header(_ name: String) -> String? { response.headers.first { $0.key.lowercased() == name }?.value }
        let challenges = header("www-authenticate").map(splitChallenges) ?? []
        guard !challenges.isEmpty || header("x-vss-resourcetenant") != nil else { return defaultTenant }
        return tenant(challenges: challenges, resourceTenant: header("x-vss-resourcetenant"))
    }

    /// The challenges of a `WWW-Authenticate` value that joins several with commas: a new
    /// challenge starts at each comma-separated piece whose first word is not a `name=value`.
    static func splitChallenges(_ value: String) -> [String] {
        var challenges: [String] = []
        for piece in value.split(separator: ",").map({ $0.trimmingWhitespace() }) where !piece.isEmpty {
            let firstWord = piece.prefix { !$0.isWhitespace }
            if firstWord.contains("="), !challenges.isEmpty {
                challenges[challenges.count - 1] += ", " + piece
            } else {
                challenges.append(String(piece))
            }
        }
        return challenges
    }

    /// The tenant named by `challenges` (WWW-Authenticate values) or `resourceTenant`.
    public static func tenant(challenges: [String], resourceTenant: String?) -> String {
        for challenge in challenges {
            if let tenant = tenant(fromChallenge: challenge) { return tenant }
        }
        if let resourceTenant {
            let ids = resourceTenant.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            if let real = ids.first(where: { !isZeroGUID($0) }) { return real.lowercased() }
            if !ids.isEmpty { return defaultTenant }
        }
        return "common"
    }

    /// The last path segment of `authorization_uri=` in a Bearer challenge, quoted or not.
    static func tenant(fromChallenge challenge: String) -> String? {
        let trimmed = challenge.trimmingWhitespace()
        guard trimmed.lowercased().hasPrefix("bearer") else { return nil }
        guard let key = trimmed.firstRange(of: "authorization_uri=") else { return nil }
        var value = trimmed[key.upperBound...]
        if value.first == "\"" {
            value = value.dropFirst()
            value = value.prefix { $0 != "\"" }
        } else {
            value = value.prefix { $0 != "," && !$0.isWhitespace }
        }
        while value.last == "/" { value = value.dropLast() }
        guard let slash = value.lastIndex(of: "/") else { return nil }
        let tenant = value[value.index(after: slash)...]
        // A tenant is a GUID or a domain; "." or ".." would walk the authority's path instead.
        guard tenant.first?.isLetter == true || tenant.first?.isNumber == true,
            tenant.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
        else {
            return nil
        }
        return tenant.lowercased()
    }

    private static func isZeroGUID(_ text: Substring) -> Bool {
        text.allSatisfy { $0 == "0" || $0 == "-" }
    }
}
