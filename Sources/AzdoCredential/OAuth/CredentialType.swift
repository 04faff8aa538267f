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
        var entries: [(key: String, value: String)] = []
        if let type = Environment.value(Self.environmentVariable), !type.isEmpty {
            entries.append(("azdo.credentialtype", type))
        }
        if scan.mayContain(variable: "credentialtype") {
            for entry in UserGitConfig.scopedEntries(matching: #"^azdo\.(.+\.)?credentialtype$"#) {
                guard UserGitConfig.isUserScope(entry.scope) else {
                    diagnostics.report(
                        "ignoring \(entry.key)=\(DisplayText.quoted(entry.value)) from \(entry.scope) git config: only "
                            + "global or system config may choose the credential type (git config --global \(entry.key) oauth)")
                    continue
                }
                entries.append((entry.key, entry.value))
            }
        }
        return CredentialTypeSettings(entries, diagnostics: diagnostics).type(of: organization)
    }
}

/// The credential types `azdo.credentialType` and `azdo.ORG.credentialType` set, read from
/// config entries in git's order (a later entry wins, as in git). Both the helper and the
/// refresher read them through this.
public struct CredentialTypeSettings: Sendable, Equatable {
    /// The type of organizations without their own.
    public var defaultType: CredentialType = .pat
    /// Organizations' own types, by lower-cased name.
    public var organizations: [String: CredentialType] = [:]

    /// No settings: every organization uses PATs.
    public init() {}

    /// The types `entries` set; entries for other keys are skipped, and an unknown value is
    /// reported (when `diagnostics` is given) and skipped.
    public init(_ entries: [(key: String, value: String)], diagnostics: (any DiagnosticSink)? = nil) {
        for (key, value) in entries {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 2, parts.first?.lowercased() == "azdo", parts.last?.lowercased() == "credentialtype"
            else { continue }
            guard let type = CredentialType(rawValue: value.lowercased()) else {
                diagnostics?.report(
                    "ignoring \(key)=\(DisplayText.quoted(value)): it is `pat` or `oauth` "
                        + "(git config --global azdo.credentialType oauth)")
                continue
            }
            if parts.count == 2 {
                defaultType = type
            } else {
                organizations[parts.dropFirst().dropLast().joined(separator: ".").lowercased()] = type
            }
        }
    }

    /// The type `organization` uses.
    public func type(of organization: String) -> CredentialType {
        organizations[organization.lowercased()] ?? defaultType
    }
}
