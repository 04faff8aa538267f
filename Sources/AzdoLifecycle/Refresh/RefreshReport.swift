import AzdoAPI
public import AzdoCredential
import AzdoSystem

/// What one `refresh` pass found and did, one entry per organization (and per unfinished
/// rotation), each with the line it reports.
public struct RefreshReport: Sendable, Equatable {
    /// What happened to one organization's PAT.
    public enum Outcome: Sendable, Equatable {
        /// Nothing to do; it expires at `validTo`.
        case fine(validTo: Int64)
        /// Its expiry was unknown and was found in the API.
        case expiryFound(validTo: Int64)
        /// Its expiry is unknown and could not be found.
        case unknownExpiry
        /// It expires within the warning window; `fix` is the command that helps.
        case expiresSoon(validTo: Int64, fix: String)
        /// It has expired and could not be regenerated.
        case expired(validTo: Int64)
        /// It was regenerated.
        case rotated(RotationResult)
        /// Regenerating it failed; it still expires at `validTo`.
        case rotationFailed(validTo: Int64, reason: String)
        /// An interrupted rotation or create was finished or undone.
        case recovered(RecoveryResult)
        /// An interrupted rotation or create waits for a sign-in to be finished.
        case interruptedRotationWaits
        /// Something else failed.
        case failed(String)
        /// The organization uses Microsoft Entra tokens; its stored PAT (valid until
        /// `patValidTo`, when known) is kept until it expires.
        case usesOAuth(patValidTo: Int64?)
        /// The organization uses Microsoft Entra tokens; `count` expired PATs were removed.
        case expiredPATsRemoved(count: Int)
        /// The organization forbids creating PATs and was switched to `oauth` (in `file`).
        case switchedToOAuth(file: String)
        /// The organization forbids creating PATs, and `azdo.autoFallback` is false.
        case patCreationForbidden
        /// The stored PAT is global and could not be replaced (`reason`, or no sign-in);
        /// `retired` once 2026-12-01 has passed.
        case globalPAT(retired: Bool, reason: String?)
        /// The stored global PAT was replaced by the organization-scoped `replacement`.
        case globalReplaced(StoredCredential, retired: Bool)
    }

    /// One organization's result.
    public struct Entry: Sendable, Equatable {
        /// The organization, or nil for a failure before any organization was looked at.
        public var organization: String?
        /// What happened.
        public var outcome: Outcome
        /// The PAT's display name, when known.
        public var displayName: String?

        /// Creates an entry.
        public init(organization: String?, outcome: Outcome, displayName: String? = nil) {
            self.organization = organization
            self.outcome = outcome
            self.displayName = displayName
        }

        /// One line naming the organization, the PAT, the date and the fix.
        public var line: String {
            let org = organization ?? "refresh"
            let pat = displayName.map { "'\(DisplayText.quoted($0))'" } ?? "the PAT"
            func date(_ seconds: Int64) -> String { CivilDate.string(fromUnixSeconds: seconds) }
            switch outcome {
            case .fine(let validTo): return "\(org): \(pat) is valid until \(date(validTo)); nothing to do"
            case .expiryFound(let validTo):
                return "\(org): found the expiry of the PAT typed at git's prompt: \(date(validTo))"
            case .unknownExpiry:
                return "\(org): the PAT was typed at git's prompt, so its expiry is unknown; record it with "
                    + "`git credential-azdo pat import --org \(org) --expires YYYY-MM-DD`, or replace it with "
                    + "`git credential-azdo pat create --org \(org)`"
            case .expiresSoon(let validTo, let fix): return "\(org): \(pat) expires on \(date(validTo)); \(fix)"
            case .expired(let validTo):
                return "\(org): \(pat) EXPIRED on \(date(validTo)) and git cannot use it; "
                    + "run `git credential-azdo login`, then `git credential-azdo refresh`, or "
                    + "`git credential-azdo pat create --org \(org)`"
            case .rotated(let result):
                let until = result.credential.metadata.validTo.map(date) ?? "an unknown date"
                var line = "\(org): renewed; the new PAT '\(DisplayText.quoted(result.credential.metadata.displayName ?? ""))' "
                    + "is valid until \(until)"
                if result.clampedByPolicy {
                    line += " (the organization's policy allows less than the \(result.requestedDays) days asked for)"
                }
                if result.revocationPending { line += "; the old PAT is revoked later" }
                return line
            case .rotationFailed(let validTo, let reason):
                return "\(org): \(pat) expires on \(date(validTo)) and renewing it failed: \(reason); "
                    + "the next run tries again"
            case .recovered(.completed): return "\(org): finished a rotation an earlier run left unfinished"
            case .recovered(.waitingForGracePeriod):
                return "\(org): a rotation is finished; the old PAT is revoked when its grace period ends"
            case .recovered(.undone(let revoked)):
                return "\(org): undid a rotation an earlier run left unfinished (\(revoked) unstored PAT(s) revoked); "
                    + "the stored PAT is unchanged"
            case .recovered(.createKept):
                return "\(org): a `pat create` an earlier run left unfinished had stored its PAT; kept"
            case .recovered(.createUndone(let revoked)):
                return "\(org): undid a `pat create` an earlier run left unfinished (\(revoked) unstored PAT(s) revoked); "
                    + "the stored PATs are unchanged"
            case .interruptedRotationWaits:
                return "\(org): an interrupted rotation or PAT create waits for a sign-in; run `git credential-azdo login`"
            case .failed(let reason): return "\(org): \(reason)"
            case .usesOAuth(let validTo):
                return "\(org): git uses Microsoft Entra tokens (credentialType oauth); \(pat) is kept until it "
                    + (validTo.map { "expires on \(date($0))" } ?? "expires or is rejected")
            case .expiredPATsRemoved(let count):
                return "\(org): git uses Microsoft Entra tokens (credentialType oauth); removed \(count) expired PAT(s)"
            case .switchedToOAuth(let file): return OAuthFallbackReport.switched(org, file: file)
            case .patCreationForbidden: return OAuthFallbackReport.notSwitched(org)
            case .globalPAT(let retired, let reason):
                return "\(org): \(pat) is a global (all-organization) PAT, and \(Self.retirement(retired)); "
                    + (reason.map { "replacing it failed: \($0); " } ?? "")
                    + "run `git credential-azdo login` so `refresh` replaces it, or `git credential-azdo pat create "
                    + "--org \(org)`, or use Microsoft Entra tokens: `git config --global azdo.\(org).credentialType oauth`"
            case .globalReplaced(let replacement, let retired):
                let until = replacement.metadata.validTo.map(date) ?? "an unknown date"
                return "\(org): \(pat) was a global (all-organization) PAT, and \(Self.retirement(retired)); replaced "
                    + "it with the organization-scoped PAT '\(DisplayText.quoted(replacement.metadata.displayName ?? ""))', "
                    + "valid until \(until)"
            }
        }

        /// The retirement of global PATs, in the right tense.
        static func retirement(_ retired: Bool) -> String {
            "Azure DevOps \(retired ? "stopped" : "stops") accepting those on "
                + CivilDate.string(fromUnixSeconds: PATToken.globalRetirement)
        }
    }

    /// Every entry, in the order they happened.
    public private(set) var entries: [Entry] = []
    /// A sign-in problem that kept PATs from being renewed, with its fix.
    public var signInProblem: String?
    /// When the next pass has something to do (Unix seconds), or nil when no PAT has an expiry.
    public var nextDue: Int64?

    /// An empty report.
    public init() {}

    /// Appends `entry`.
    public mutating func add(_ entry: Entry) { entries.append(entry) }

    /// Whether something failed and should be retried soon: an API, keyring or journal
    /// failure, a sign-in problem, or a rotation left waiting.
    public var hasFailures: Bool {
        signInProblem != nil || entries.contains { entry in
            switch entry.outcome {
            case .failed, .rotationFailed, .interruptedRotationWaits, .patCreationForbidden, .globalPAT: return true
            default: return false
            }
        }
    }

    /// Whether anything needs the user: a warning, an expired PAT, a failure or a sign-in problem.
    public var needsAttention: Bool {
        signInProblem != nil || entries.contains { entry in
            switch entry.outcome {
            case .fine, .expiryFound, .rotated, .recovered, .usesOAuth, .expiredPATsRemoved, .globalReplaced: return false
            default: return true
            }
        }
    }
}
