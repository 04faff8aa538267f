import AzdoSystem
import FoundationEssentials

/// The last refresh pass, saved as `last-refresh.json` in the state directory for
/// `refresher status` (and anyone wondering what the timer did). No secrets.
public struct RefreshStatus: Sendable, Equatable, Codable {
    /// When the pass ran (Unix seconds).
    public var ranAt: Int64
    /// Whether something needs the user.
    public var needsAttention: Bool
    /// The pass's report lines.
    public var lines: [String]
    /// When the next pass has something to do, if known.
    public var nextDue: Int64?

    /// The status of `report`, made at `now`.
    public init(report: RefreshReport, now: Int64) {
        ranAt = now
        needsAttention = report.needsAttention
        lines = report.entries.map(\.line) + (report.signInProblem.map { [$0] } ?? [])
        nextDue = report.nextDue
    }

    /// Saves the status in `directory`; a failure (a full disk) only loses the record.
    public func save(in directory: String) {
        guard StateDirectory.create(directory), let data = try? JSONEncoder().encode(self) else { return }
        _ = StateFile.replace(directory + "/last-refresh.json", with: Array(data))
    }

    /// The saved status, if any.
    public static func load(from directory: String) -> RefreshStatus? {
        StateFile.read(directory + "/last-refresh.json").flatMap { try? JSONDecoder().decode(Self.self, from: Data($0)) }
    }
}
