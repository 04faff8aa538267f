public import AzdoCredential
import AzdoSystem

/// What `refresh` does and when, from the user's global or system git config:
///
/// - `azdo.warnDays` (default 7): warn this many days before a PAT expires;
/// - `azdo.rotateDays` (default 7): regenerate this many days before it expires;
/// - `azdo.<org>.rotate false`: never regenerate the organization's PAT (warnings stay);
/// - `azdo.revokeGraceHours` (default 0): keep the replaced PAT working this long after a
///   rotation; 0 revokes it at once, as the web UI's Regenerate does;
/// - `azdo.credentialType` / `azdo.<org>.credentialType` (`pat` or `oauth`): which
///   organizations git gives Microsoft Entra tokens, whose PATs are then not regenerated;
/// - `azdo.autoFallback` (default true): an organization that forbids creating PATs is
///   switched to `oauth`.
public struct RefreshSettings: Sendable, Equatable {
    /// Days before expiry to warn.
    public var warnDays: Int64
    /// Days before expiry to regenerate.
    public var rotateDays: Int64
    /// Seconds the replaced PAT keeps working after a rotation.
    public var revokeGraceSeconds: Int64
    /// Organizations (lower-cased) whose PAT is never regenerated.
    public var rotationDisabled: Set<String>
    /// Which organizations use PATs and which Microsoft Entra tokens.
    public var credentialTypes = CredentialTypeSettings()
    /// Whether an organization that forbids creating PATs is switched to `oauth`.
    public var autoFallback = true

    /// Creates settings.
    public init(
        warnDays: Int64 = DailyExpiryReminder.defaultWarnDays, rotateDays: Int64 = 7, revokeGraceSeconds: Int64 = 0,
        rotationDisabled: Set<String> = []
    ) {
        self.warnDays = warnDays
        self.rotateDays = rotateDays
        self.revokeGraceSeconds = revokeGraceSeconds
        self.rotationDisabled = rotationDisabled
    }

    /// How long before expiry a PAT is regenerated: `rotateDays`, or half its lifespan when
    /// that is shorter, so a PAT that lives a week is not regenerated the day it is made.
    public func rotationWindow(for metadata: PATMetadata) -> Int64 {
        let configured = rotateDays * 86_400
        guard let from = metadata.validFrom, let to = metadata.validTo, to > from else { return configured }
        return min(configured, (to - from) / 2)
    }

    /// The credential type `organization` uses.
    public func credentialType(of organization: String) -> CredentialType {
        credentialTypes.type(of: organization)
    }

    /// Reads every `azdo.*` setting in one `git config` run.
    public static func load() -> RefreshSettings {
        parse(UserGitConfig.userEntries(matching: #"^azdo\."#) + ConfiguredCredentialTypes.environmentEntries())
    }

    /// Settings from config entries; malformed numbers keep the default.
    public static func parse(_ entries: [(key: String, value: String)]) -> RefreshSettings {
        var settings = RefreshSettings()
        settings.credentialTypes = CredentialTypeSettings(entries)
        for (key, value) in entries {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false)
            switch (parts.count, parts.last?.lowercased()) {
            case (2, "warndays"):
                if let days = Int64(value) { settings.warnDays = min(max(days, 0), DailyExpiryReminder.maximumWarnDays) }
            case (2, "rotatedays"):
                if let days = Int64(value) { settings.rotateDays = min(max(days, 0), 60) }
            case (2, "revokegracehours"):
                if let hours = Int64(value) { settings.revokeGraceSeconds = min(max(hours, 0), 24 * 30) * 3_600 }
            case (2, "autofallback"):
                settings.autoFallback = GitBoolean.parse(value)
            case (3..., "rotate"):
                let organization = parts.dropFirst().dropLast().joined(separator: ".").lowercased()
                if ["false", "no", "off", "0"].contains(value.lowercased()) {
                    settings.rotationDisabled.insert(organization)
                } else {
                    settings.rotationDisabled.remove(organization)
                }
            default: continue
            }
        }
        return settings
    }
}
