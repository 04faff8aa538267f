import AzdoAPI
public import AzdoCredential
public import AzdoLifecycle
import AzdoSystem
import FoundationEssentials

/// One stored PAT as `status` shows it: everything but the secret, plus what the
/// refresher will do next. Its JSON form (`status --json`) is a stable, versioned schema.
public struct PATStatus: Sendable, Equatable, Encodable {
    /// What the refresher does next for a PAT.
    public struct NextAction: Sendable, Equatable, Encodable {
        /// `none`, `warn`, `rotate`, `expired` or `unknown-expiry`.
        public var action: String
        /// From when (Unix seconds), when it is scheduled.
        public var from: Int64?
        /// One line for people.
        public var summary: String
    }

    /// The server the PAT is sent to (`https://dev.azure.com`, or an extra host).
    public var server: String
    /// The organization.
    public var organization: String
    /// The account (git's username).
    public var account: String
    /// The display name in Azure DevOps, when known.
    public var displayName: String?
    /// When it expires (Unix seconds), when known.
    public var validTo: Int64?
    /// Whole days left (negative once expired), when known.
    public var daysLeft: Int64?
    /// Its scopes.
    public var scopes: [String]
    /// `typed`, `created` or `imported`.
    public var source: String
    /// When this tool stored it (Unix seconds).
    public var storedAt: Int64
    /// When a rotation stored it, for PATs that replaced an older one.
    public var lastRotation: Int64?
    /// Whether `get` hands this one to git.
    public var usedByGit: Bool
    /// What the refresher does next.
    public var next: NextAction
    /// Whether it is a global (all-organization) PAT, which Azure DevOps stopped accepting
    /// on 2026-12-01.
    public var global: Bool

    private enum CodingKeys: String, CodingKey {
        case server, organization, account, displayName, validTo, daysLeft, scopes, source, storedAt, lastRotation
        case usedByGit, next, global
    }

    /// Encodes every field, unknown ones as `null`, so the schema's keys are always present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(server, forKey: .server)
        try container.encode(organization, forKey: .organization)
        try container.encode(account, forKey: .account)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(validTo, forKey: .validTo)
        try container.encode(daysLeft, forKey: .daysLeft)
        try container.encode(scopes, forKey: .scopes)
        try container.encode(source, forKey: .source)
        try container.encode(storedAt, forKey: .storedAt)
        try container.encode(lastRotation, forKey: .lastRotation)
        try container.encode(usedByGit, forKey: .usedByGit)
        try container.encode(next, forKey: .next)
        try container.encode(global, forKey: .global)
    }

    /// The status of every credential in `items`, sorted by server, organization and age.
    public static func rows(_ items: [StoredItem], settings: RefreshSettings, now: Int64) -> [PATStatus] {
        let credentials = items.map(\.credential)
        var inUse = Set<String>()
        for group in Dictionary(grouping: credentials, by: { "\($0.server) \($0.organization) \($0.username.lowercased())" }) {
            let live = group.value.filter { !$0.isExpired(at: now) }
            if let newest = live.max(by: { $0.metadata.storedAt < $1.metadata.storedAt }) { inUse.insert(key(newest)) }
        }
        return credentials.map { credential in
            let metadata = credential.metadata
            return PATStatus(
                server: credential.server, organization: credential.organization, account: credential.username,
                displayName: metadata.displayName, validTo: metadata.validTo,
                daysLeft: metadata.validTo.map { Self.days($0 - now) },
                scopes: (metadata.scope ?? "").split(separator: " ").map(String.init),
                source: metadata.source.rawValue, storedAt: metadata.storedAt,
                lastRotation: PATName.isRegenerated(metadata.displayName) ? metadata.storedAt : nil,
                usedByGit: inUse.contains(key(credential)),
                next: next(credential, settings: settings, now: now), global: metadata.isGlobal)
        }.sorted { ($0.server, $0.organization, -$0.storedAt) < ($1.server, $1.organization, -$1.storedAt) }
    }

    /// What the refresher will do for `credential` (the same rules as `Refresher`).
    static func next(_ credential: StoredCredential, settings: RefreshSettings, now: Int64) -> NextAction {
        let organization = credential.organization
        if settings.credentialType(of: organization) == .oauth {
            let expired = credential.metadata.validTo.map { $0 <= now } ?? false
            return NextAction(
                action: "oauth", from: nil,
                summary: "git gets Microsoft Entra tokens here; "
                    + (expired ? "removed by the next `refresh`" : "kept until it expires"))
        }
        if credential.metadata.isGlobal {
            let tense = now >= PATToken.globalRetirement ? "stopped" : "stops"
            return NextAction(
                action: "replace-global", from: nil,
                summary: "global PAT (Azure DevOps \(tense) accepting them on 2026-12-01): replaced by the next "
                    + "`refresh` when signed in")
        }
        guard let validTo = credential.metadata.validTo else {
            return NextAction(
                action: "unknown-expiry", from: nil,
                summary: "expiry unknown: `pat import --org \(organization) --expires DATE` or `pat create --org \(organization)`")
        }
        if validTo <= now {
            return NextAction(action: "expired", from: validTo, summary: "expired: regenerated by the next `refresh` when signed in")
        }
        let managed = credential.metadata.authorizationID != nil
        if managed && !settings.rotationDisabled.contains(organization) {
            let from = validTo - settings.rotationWindow(for: credential.metadata)
            return NextAction(
                action: "rotate", from: from,
                summary: from <= now ? "regenerated by the next `refresh`" : "regenerated from \(CivilDate.string(fromUnixSeconds: from))")
        }
        let from = validTo - settings.warnDays * 86_400
        return NextAction(
            action: "warn", from: from,
            summary: (from <= now ? "warning now" : "warning from \(CivilDate.string(fromUnixSeconds: from))")
                + (managed ? " (rotation is off)" : "; replace with `pat create --org \(organization)`"))
    }

    private static func key(_ credential: StoredCredential) -> String {
        "\(credential.server) \(credential.organization) \(credential.metadata.storedAt) \(credential.metadata.authorizationID ?? "")"
    }

    private static func days(_ seconds: Int64) -> Int64 {
        seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
    }
}

/// `status --json`: `{"version": 1, "pats": [PATStatus…], "refresher": RefreshStatus|null,
/// "signIn": SignInStatus|null}`.
/// New fields may be added; existing ones keep their names and meaning within a version.
public struct StatusDocument: Sendable, Encodable {
    /// The schema version, 1.
    public var version = 1
    /// Every stored PAT.
    public var pats: [PATStatus]
    /// The last refresh pass, if one ran.
    public var refresher: RefreshStatus?
    /// The sign-in and the organizations that use Microsoft Entra tokens.
    public var signIn: SignInStatus?

    private enum CodingKeys: String, CodingKey { case version, pats, refresher, signIn }

    /// Encodes `refresher` as `null` when no pass ran.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(pats, forKey: .pats)
        try container.encode(refresher, forKey: .refresher)
        try container.encode(signIn, forKey: .signIn)
    }

    /// Creates the document.
    public init(pats: [PATStatus], refresher: RefreshStatus?, signIn: SignInStatus? = nil) {
        self.pats = pats
        self.refresher = refresher
        self.signIn = signIn
    }

    /// Pretty-printed JSON with sorted keys.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
