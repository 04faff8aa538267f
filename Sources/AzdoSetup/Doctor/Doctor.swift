public import AzdoAPI
public import AzdoCredential
public import AzdoHTTP
public import AzdoLifecycle
public import AzdoSystem
import FoundationEssentials

/// Facts about this machine that `doctor` reads; the real probe asks git, the environment
/// and systemd, tests substitute their own.
public protocol DoctorProbe: Sendable {
    /// `git --version`'s number (`2.39.5`), or nil without git.
    func gitVersion() -> String?
    /// Every `credential.*` entry of git's config in git's order, as `(key, value)`.
    func credentialEntries() -> [(key: String, value: String)]
    /// Whether a session bus address is known (`DBUS_SESSION_BUS_ADDRESS` or `$XDG_RUNTIME_DIR/bus`).
    func hasSessionBus() -> Bool
    /// `systemctl --user is-enabled` of the refresh timer (`enabled`, …), or nil without systemd.
    func timerState() -> String?
    /// Which program provides the Secret Service on the session bus.
    func secretServiceProvider() -> SecretServiceProvider
    /// The path of the executable `name` in `PATH`, or nil.
    func executablePath(_ name: String) -> String?
}

/// One line of `doctor`'s report.
public struct DoctorFinding: Sendable, Equatable {
    /// How it went.
    public enum Level: String, Sendable, Comparable {
        /// Fine.
        case ok
        /// Works, but something could be better or will need attention.
        case warn
        /// Broken: git cannot get a working PAT from this helper until it is fixed.
        case fail

        public static func < (lhs: Level, rhs: Level) -> Bool {
            let order: [Level] = [.ok, .warn, .fail]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// How it went.
    public var level: Level
    /// What was checked (`git`, `keyring`, `pat contoso`, …).
    public var check: String
    /// What was found, with the fix when there is something to fix. Never a secret.
    public var message: String

    /// Creates a finding.
    public init(_ level: Level, _ check: String, _ message: String) {
        self.level = level
        self.check = check
        self.message = message
    }

    /// `ok    check: message`, as printed.
    public var line: String {
        let tag = level == .fail ? "FAIL" : level.rawValue
        return tag + String(repeating: " ", count: 6 - tag.count) + check + ": " + message
    }
}

/// `doctor`: checks everything between git and a working PAT, one line each with the fix.
public struct Doctor: Sendable {
    private let probe: any DoctorProbe
    private let credentials: any CredentialStore
    private let refreshTokens: any RefreshTokenStore
    private let transport: any HTTPTransport
    private let clock: any WallClock
    private let settings: LifecycleSettings
    private let refreshSettings: RefreshSettings

    /// Creates the doctor over its seams.
    public init(
        probe: any DoctorProbe, credentials: any CredentialStore, refreshTokens: any RefreshTokenStore,
        transport: any HTTPTransport, clock: any WallClock, settings: LifecycleSettings, refreshSettings: RefreshSettings
    ) {
        self.probe = probe
        self.credentials = credentials
        self.refreshTokens = refreshTokens
        self.transport = transport
        self.clock = clock
        self.settings = settings
        self.refreshSettings = refreshSettings
    }

    /// Every finding, in the order a person would fix them; `network: false` skips the
    /// reachability and clock checks.
    public func run(network: Bool = true) async -> [DoctorFinding] {
        var findings = [gitFinding()] + configFindings()
        let bus = probe.hasSessionBus()
        findings.append(bus
            ? DoctorFinding(.ok, "session bus", "found")
            : DoctorFinding(.fail, "session bus", KeyringError.noSessionBus(detail: "none found").description))
        if bus { findings += keyringFindings() }
        findings.append(refresherFinding())
        if network { findings += await networkFindings() }
        return findings
    }

    // MARK: - git

    private func gitFinding() -> DoctorFinding {
        guard let version = probe.gitVersion() else {
            return DoctorFinding(.fail, "git", "not found; install git (apt-get install git)")
        }
        let parts = version.split(separator: ".").compactMap { Int($0) }
        let atLeast = { (major: Int, minor: Int) in parts.count >= 2 && (parts[0], parts[1]) >= (major, minor) }
        var features: [String] = []
        if atLeast(2, 41) { features.append("expiry dates and WWW-Authenticate reach the helper") }
        if atLeast(2, 46) { features.append("capability negotiation") }
        if features.isEmpty {
            return DoctorFinding(.ok, "git", "\(version) works; git 2.41 or later also passes expiry dates "
                + "(password_expiry_utc) and WWW-Authenticate to the helper")
        }
        return DoctorFinding(.ok, "git", "\(version): " + features.joined(separator: ", "))
    }

    /// The helper list git builds for dev.azure.com and a visualstudio.com host, and useHttpPath.
    private func configFindings() -> [DoctorFinding] {
        let entries = probe.credentialEntries()
        var findings: [DoctorFinding] = []
        for url in ["https://dev.azure.com/contoso", "https://contoso.visualstudio.com"] {
            let helpers = CredentialConfig.helpers(for: url, in: entries)
            let host = url.split(separator: "/")[1]
            guard let position = helpers.firstIndex(where: CredentialConfig.isThisHelper) else {
                findings.append(DoctorFinding(
                    .fail, "helper for \(host)",
                    helpers.isEmpty ? "none configured; run `git credential-azdo configure`"
                        : "git asks \(helpers.joined(separator: ", ")) but not git-credential-azdo; run `git credential-azdo configure`"))
                continue
            }
            if position > 0 {
                findings.append(DoctorFinding(
                    .warn, "helper for \(host)",
                    "git asks \(helpers[..<position].joined(separator: ", ")) first; run `git credential-azdo configure` "
                        + "(its empty helper entry stops the others)"))
            } else {
                findings.append(DoctorFinding(.ok, "helper for \(host)", "git-credential-azdo, asked first"))
            }
        }
        if entries.contains(where: { $0.key.lowercased() == "credential.helper" && CredentialConfig.isThisHelper($0.value) }) {
            findings.append(DoctorFinding(
                .warn, "helper scope", "credential.helper names git-credential-azdo for every host; it answers only "
                    + "Azure DevOps, but `git credential-azdo configure` scopes it to those hosts"))
        }
        let useHttpPath = CredentialConfig.value("usehttppath", for: "https://dev.azure.com/contoso", in: entries)
        findings.append(GitBoolean.parse(useHttpPath ?? "")
            ? DoctorFinding(.ok, "useHttpPath", "on for dev.azure.com, so the organization comes from the path")
            : DoctorFinding(
                .warn, "useHttpPath", "off for dev.azure.com: only URLs naming the organization as user work; "
                    + "git config --global credential.https://dev.azure.com.useHttpPath true"))
        return findings
    }

    // MARK: - Keyring

    private func keyringFindings() -> [DoctorFinding] {
        let items: [StoredItem]
        do { items = try credentials.allCredentials() } catch {
            return [DoctorFinding(.fail, "keyring", error.description)]
        }
        let provider = probe.secretServiceProvider()
        let service = provider == .unknown ? "Secret Service" : "Secret Service (\(provider.name))"
        var findings = [DoctorFinding(.ok, "keyring", "\(service) reachable and unlocked; \(items.count) PAT(s) stored")]
        findings.append(signInFinding())
        let now = clock.now()
        for row in PATStatus.rows(items, settings: refreshSettings, now: now) where row.usedByGit || row.daysLeft.map({ $0 < 0 }) == true {
            let name = "pat \(row.organization)" + (row.account == row.organization ? "" : " (\(row.account))")
            let scopes = row.scopes.isEmpty ? "scopes unknown" : row.scopes.joined(separator: " ")
            guard let days = row.daysLeft, let validTo = row.validTo else {
                findings.append(DoctorFinding(.warn, name, "expiry unknown (typed at git's prompt); \(row.next.summary)"))
                continue
            }
            let date = CivilDate.string(fromUnixSeconds: validTo)
            if row.global {
                let tense = now >= PATToken.globalRetirement ? "stopped" : "stops"
                findings.append(DoctorFinding(
                    now >= PATToken.globalRetirement && row.usedByGit ? .fail : .warn, name,
                    "a global (all-organization) PAT, and Azure DevOps \(tense) accepting those on 2026-12-01; run "
                        + "`git credential-azdo refresh` (signed in) or `git credential-azdo pat create --org \(row.organization)`, "
                        + "or use Microsoft Entra tokens (git config --global azdo.\(row.organization).credentialType oauth)"))
            } else if days < 0 {
                findings.append(DoctorFinding(
                    row.usedByGit ? .fail : .warn, name,
                    "expired on \(date); run `git credential-azdo refresh` (signed in) or `git credential-azdo pat create --org \(row.organization)`"))
            } else if days <= refreshSettings.warnDays {
                findings.append(DoctorFinding(.warn, name, "expires on \(date), in \(days) days; \(row.next.summary)"))
            } else {
                findings.append(DoctorFinding(.ok, name, "\(days) days left (until \(date)), \(scopes); \(row.next.summary)"))
            }
        }
        return findings
    }

    private func signInFinding() -> DoctorFinding {
        if settings.signIn == .azureCLI {
            // Not run: `az` takes seconds and may itself prompt; `pat list` shows whether it answers.
            guard let az = probe.executablePath("az") else {
                return DoctorFinding(
                    .warn, "sign-in", "azdo.signIn=azure-cli, but `az` is not on PATH: install the Azure CLI "
                        + "and run `az login`, or run `git credential-azdo login`")
            }
            return DoctorFinding(.ok, "sign-in", "the Azure CLI's (azdo.signIn=azure-cli, \(az))")
        }
        let tenants: [String]
        do { tenants = try refreshTokens.signedInTenants(authority: settings.authority, clientID: settings.clientID) } catch {
            return DoctorFinding(.warn, "sign-in", error.description)
        }
        guard !tenants.isEmpty else {
            return DoctorFinding(
                .warn, "sign-in", "not signed in to Microsoft Entra: PATs cannot be created or renewed; "
                    + "run `git credential-azdo login`")
        }
        let ages = tenants.compactMap { tenant in
            (try? refreshTokens.refreshToken(authority: settings.authority, tenant: tenant, clientID: settings.clientID))
                .flatMap { $0 }.map { (tenant, (clock.now() - $0.storedAt) / 86_400) }
        }
        let oldest = ages.map(\.1).max() ?? 0
        let list = ages.map { "\($0.0) (refreshed \($0.1) days ago)" }.joined(separator: ", ")
        // Entra drops a refresh token unused for 90 days.
        return oldest >= 80
            ? DoctorFinding(.warn, "sign-in", "\(list): close to Entra's 90-day limit; run `git credential-azdo refresh` or `login`")
            : DoctorFinding(.ok, "sign-in", list)
    }

    private func refresherFinding() -> DoctorFinding {
        switch probe.timerState() {
        case "enabled": return DoctorFinding(.ok, "refresher", "the daily systemd timer is enabled")
        case let state?:
            return DoctorFinding(.warn, "refresher", "the systemd timer is \(state); run `git credential-azdo refresher enable`")
        case nil:
            return DoctorFinding(
                .warn, "refresher", "no systemd user manager; run `git credential-azdo daemon` from your session's startup")
        }
    }

    // MARK: - Network

    private func networkFindings() async -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        var skew: Int64?
        for (name, url) in [
            ("Entra", settings.authority + "/" + settings.tenant + "/v2.0/.well-known/openid-configuration"),
            ("PAT API", settings.apiBaseURL), ("git server", settings.gitServer),
        ] {
            do {
                let response = try await transport.send(HTTPRequest(method: "HEAD", url: url))
                findings.append(DoctorFinding(.ok, "reach \(name)", "\(Self.origin(url)) answered HTTP \(response.status)"))
                if skew == nil, let date = response.headers.first(where: { $0.key.lowercased() == "date" })?.value,
                    let server = HTTPDate.parse(date)
                {
                    skew = clock.now() - server
                }
            } catch {
                findings.append(DoctorFinding(
                    .fail, "reach \(name)", "\(Self.origin(url)): \(error); check the network, HTTPS_PROXY and NO_PROXY"))
            }
        }
        if let skew {
            findings.append(abs(skew) > 300
                ? DoctorFinding(.fail, "clock", "\(abs(skew)) s \(skew > 0 ? "ahead of" : "behind") the server; "
                    + "sign-in and expiry checks need the right time: enable time sync (timedatectl set-ntp true)")
                : DoctorFinding(.ok, "clock", "within \(abs(skew)) s of the server"))
        }
        return findings
    }

    private static func origin(_ url: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return url }
        return String(url[..<scheme.upperBound]) + url[scheme.upperBound...].prefix { $0 != "/" }
    }
}
