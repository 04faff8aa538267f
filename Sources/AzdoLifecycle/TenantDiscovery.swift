/// Which Microsoft Entra tenant signs in for an organization, read from what Azure DevOps
/// says about itself (protocols.md 3.4, as Git Credential Manager does it):
///
/// 1. the `authorization_uri` of a `WWW-Authenticate: Bearer` challenge (git 2.41+ passes
///    these to the helper as `wwwauth[]`, or an unauthenticated request returns them);
/// 2. else `X-VSS-ResourceTenant`: the first non-zero GUID; a lone all-zero GUID means a
///    Microsoft-account-backed organization, served by `organizations`;
/// 3. else `common`.
public enum TenantDiscovery {
    /// The tenant named by `challenges` (WWW-Authenticate values) or `resourceTenant`.
    public static func tenant(challenges: [String], resourceTenant: String?) -> String {
        for challenge in challenges {
            if let tenant = tenant(fromChallenge: challenge) { return tenant }
        }
        if let resourceTenant {
            let ids = resourceTenant.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            if let real = ids.first(where: { !isZeroGUID($0) }) { return real.lowercased() }
            if !ids.isEmpty { return "organizations" }
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
        guard !tenant.isEmpty, tenant.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }) else {
            return nil
        }
        return tenant.lowercased()
    }

    private static func isZeroGUID(_ text: Substring) -> Bool {
        text.allSatisfy { $0 == "0" || $0 == "-" }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> Substring {
        let view = self[...]
        let start = view.firstIndex { !$0.isWhitespace } ?? view.endIndex
        let end = view.lastIndex { !$0.isWhitespace }.map { view.index(after: $0) } ?? start
        return Substring(view[start..<end])
    }
}
