public import AzdoSystem

/// What git gets for an organization: a PAT (the default) or a Microsoft Entra access
/// token (`oauth`), as Git Credential Manager's `credential.azreposCredentialType` chooses.
public enum CredentialType: String, Sendable, Equatable {
    /// A PAT from the keyring.
    case pat
    /// An Entra access token for Azure DevOps, renewed from the `login` sign-in.
    case oauth
}

/// Which credential type an organization uses.
public protocol CredentialTypeSource: Sendable {
    /// The type for `organization` (lower-cased); problems with the settings are reported.
    func credentialType(organization: String, diagnostics: any DiagnosticSink) -> CredentialType
}

/// `azdo.ORG.credentialType`, else `azdo.credentialType`, else
/// `GIT_CREDENTIAL_AZDO_CREDENTIAL_TYPE`, else `pat`; from the user's global or system
/// config only: a repository's config is ignored with a warning, since it could otherwise
/// hand its server a token for every organization. git runs only when a scan of its
/// config files finds the name (`GitConfigScan`).
public struct ConfiguredCredentialTypes: CredentialTypeSource {
    /// The environment variable that sets the default type.
    public static let environmentVariable = "GIT_CREDENTIAL_AZDO_CREDENTIAL_TYPE"

    private let scan: GitConfigScan

    /// Creates the source; `scan` decides whether git needs to be asked at all.
    public init(scan: GitConfigScan = GitConfigScan()) {
        self.scan = scan
    }

    /// The configured type for `organization`.
    public func credentialType(organization: String, diagnostics: any DiagnosticSink) -> CredentialType {
        var general = Environment.value(Self.environmentVariable).flatMap { $0.isEmpty ? nil : $0 }
        var specific: String?
        if scan.mayContain(variable: "credentialtype") {
            for entry in UserGitConfig.scopedEntries(matching: #"^azdo\.(.+\.)?credentialtype$"#) {
                guard UserGitConfig.isUserScope(entry.scope) else {
                    diagnostics.report(
                        "ignoring \(entry.key)=\(DisplayText.quoted(entry.value)) from \(entry.scope) git config: only "
                            + "global or system config may choose the credential type (git config --global \(entry.key) oauth)")
                    continue
                }
                let middle = entry.key.dropFirst("azdo.".count).dropLast(".credentialtype".count)
                if middle.isEmpty {
                    general = entry.value
                } else if middle.lowercased() == organization.lowercased() {
                    specific = entry.value
                }
            }
        }
        guard let value = specific ?? general else { return .pat }
        guard let type = CredentialType(rawValue: value.lowercased()) else {
            diagnostics.report(
                "ignoring azdo credentialType \(DisplayText.quoted(value)): it is `pat` or `oauth` "
                    + "(git config --global azdo.credentialType oauth)")
            return .pat
        }
        return type
    }
}
