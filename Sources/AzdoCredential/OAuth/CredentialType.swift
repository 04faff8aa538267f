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
    /// Starts finding the type for `organization` (lower-cased); problems with the settings
    /// are reported when the answer is read.
    func lookUp(organization: String, diagnostics: any DiagnosticSink) -> PendingCredentialType
}

/// A credential type being found: `git config` may still be running, so a caller can look
/// in the keyring meanwhile.
public struct PendingCredentialType {
    /// False when the type is certainly `pat` and nothing runs.
    public let mayBeOAuth: Bool
    private let finish: () -> CredentialType

    /// A lookup finished by `finish`; `mayBeOAuth` false only when it certainly answers `pat`.
    public init(mayBeOAuth: Bool, finish: @escaping () -> CredentialType) {
        self.mayBeOAuth = mayBeOAuth
        self.finish = finish
    }

    /// A type known at once.
    public static func known(_ type: CredentialType) -> PendingCredentialType {
        PendingCredentialType(mayBeOAuth: type == .oauth) { type }
    }

    /// The type (waits for `git config` if it runs).
    public func result() -> CredentialType { finish() }
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

    /// Starts `git config` when a config file may set the type; the answer is read later.
    public func lookUp(organization: String, diagnostics: any DiagnosticSink) -> PendingCredentialType {
        var environment: [(key: String, value: String)] = []
        if let type = Environment.value(Self.environmentVariable), !type.isEmpty {
            environment.append(("azdo.credentialtype", type))
        }
        guard scan.mayContain(variable: "credentialtype") else {
            return .known(CredentialTypeSettings(environment, diagnostics: diagnostics).type(of: organization))
        }
        let entries = UserGitConfig.startScopedEntries(matching: #"^azdo\.(.+\.)?credentialtype$"#)
        return PendingCredentialType(mayBeOAuth: true) {
            var all = environment
            for entry in entries() {
                guard UserGitConfig.isUserScope(entry.scope) else {
                    diagnostics.report(
                        "ignoring \(entry.key)=\(DisplayText.quoted(entry.value)) from \(entry.scope) git config: only "
                            + "global or system config may choose the credential type (git config --global \(entry.key) oauth)")
                    continue
                }
                all.append((entry.key, entry.value))
            }
            return CredentialTypeSettings(all, diagnostics: diagnostics).type(of: organization)
        }
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
