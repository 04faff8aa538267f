public import AzdoSystem

/// What git gets for an organization: a PAT (the default) or a Microsoft Entra access
/// token (`oauth`), as Git Credential Manager's `credential.azreposCredentialType` chooses.
public enum CredentialType: String, Sendable, Equatable {
    /// A PAT from the keyring.
    case pat
    /// An Entra access token for Azure DevOps, renewed from the `login` sign-in.
    case oauth
}

/// Which credential an organization uses.
public protocol CredentialTypeSource: Sendable {
    /// Starts finding the credential for `organization` (lower-cased); problems with the
    /// settings are reported when the answer is read.
    func lookUp(organization: String, diagnostics: any DiagnosticSink) -> PendingCredentialChoice
}

/// What git gets for an organization.
public enum CredentialChoice: Sendable, Equatable {
    /// A PAT from the keyring.
    case pat
    /// An Entra access token from the `login` sign-in, cached in the keyring.
    case oauth
    /// An Entra access token of a workload identity, cached in memory (`RuntimeTokenCache`),
    /// or why the identity settings are unusable.
    case identity(Result<WorkloadIdentity, IdentitySettingsError>)
}

/// A credential choice being found: `git config` may still be running, so a caller can
/// look in the keyring meanwhile.
public struct PendingCredentialChoice {
    /// Whether the answer may be `oauth` (an access token in the keyring); false when it
    /// certainly is not.
    public let mayUseKeyringToken: Bool
    private let finish: () -> CredentialChoice

    /// A lookup finished by `finish`.
    public init(mayUseKeyringToken: Bool, finish: @escaping () -> CredentialChoice) {
        self.mayUseKeyringToken = mayUseKeyringToken
        self.finish = finish
    }

    /// A choice known at once.
    public static func known(_ choice: CredentialChoice) -> PendingCredentialChoice {
        PendingCredentialChoice(mayUseKeyringToken: choice == .oauth) { choice }
    }

    /// The choice (waits for `git config` if it runs).
    public func result() -> CredentialChoice { finish() }
}

/// The identity settings (`IdentitySettings`) when any applies to the organization, else
/// `azdo.ORG.credentialType`, else `GIT_CREDENTIAL_AZDO_CREDENTIAL_TYPE`, else
/// `azdo.credentialType`, else `pat`; from the user's global or system config only: a
/// repository's config is ignored with a warning, since it could otherwise hand its server
/// a token for every organization. git runs only when a scan of its config files finds one
/// of the names (`GitConfigScan`), and then only once for the same files
/// (`ConfigAnswerCache`).
public struct ConfiguredCredentialTypes: CredentialTypeSource {
    /// The environment variable that sets the default type.
    public static let environmentVariable = "GIT_CREDENTIAL_AZDO_CREDENTIAL_TYPE"

    private let scan: GitConfigScan

    /// `GIT_CREDENTIAL_AZDO_CREDENTIAL_TYPE` as a config entry, to go after config's own
    /// entries: it overrides them, as every setting's variable does.
    public static func environmentEntries() -> [(key: String, value: String)] {
        guard let type = Environment.value(environmentVariable), !type.isEmpty else { return [] }
        return [("azdo.credentialtype", type)]
    }

    /// Creates the source; `scan` decides whether git needs to be asked at all.
    public init(scan: GitConfigScan = GitConfigScan()) {
        self.scan = scan
    }

    /// Starts `git config` when a config file may set the credential; the answer is read later.
    public func lookUp(organization: String, diagnostics: any DiagnosticSink) -> PendingCredentialChoice {
        let environment = Self.environmentEntries()
        guard scan.mayContain(anyOf: ["credentialtype"] + IdentitySettings.variableNames) else {
            return .known(Self.choice([], environment, organization: organization, diagnostics: diagnostics))
        }
        let arguments = UserGitConfig.arguments(
            matching: #"^azdo\.(.+\.)?(credentialtype|serviceprincipal[a-z]*|managedidentity|workloadfederation|federatedtokenfile)$"#)
        let cache = ConfigAnswerCache(fingerprint: scan.fingerprint())
        if let kept = cache.kept(arguments) {
            let choice = Self.choice(kept, environment, organization: organization, diagnostics: diagnostics)
            return PendingCredentialChoice(mayUseKeyringToken: choice == .oauth) { choice }
        }
        let output = cache.start(arguments)
        return PendingCredentialChoice(mayUseKeyringToken: true) {
            Self.choice(output(), environment, organization: organization, diagnostics: diagnostics)
        }
    }

    /// The choice `git config`'s `output` and the `environment` entries make.
    private static func choice(
        _ output: String, _ environment: [(key: String, value: String)], organization: String,
        diagnostics: any DiagnosticSink
    ) -> CredentialChoice {
        var all: [(key: String, value: String)] = []
        for entry in UserGitConfig.parse(output) {
            guard UserGitConfig.isUserScope(entry.scope) else {
                diagnostics.report(
                    "ignoring \(entry.key)=\(DisplayText.quoted(entry.value)) from \(entry.scope) git config: only "
                        + "global or system config may choose the credential (git config --global \(entry.key) VALUE)")
                continue
            }
            all.append((entry.key, entry.value))
        }
        return choice(all, environment, organization: organization, diagnostics: diagnostics)
    }

    private static func choice(
        _ entries: [(key: String, value: String)], _ environment: [(key: String, value: String)], organization: String,
        diagnostics: any DiagnosticSink
    ) -> CredentialChoice {
        if let identity = IdentitySettings(entries: entries, environment: { Environment.value($0) })
            .identity(for: organization)
        {
            return .identity(identity)
        }
        // The environment's default comes last: it overrides config, as every setting's does.
        let type = CredentialTypeSettings(entries + environment, diagnostics: diagnostics).type(of: organization)
        return type == .oauth ? .oauth : .pat
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
