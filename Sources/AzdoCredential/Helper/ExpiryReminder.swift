public import AzdoSystem

/// Decides whether `get` reminds the user, on stderr, that the PAT it hands git expires soon.
public protocol ExpiryReminder: Sendable {
    /// Whether to remind about `organization`'s PAT on `server` expiring at `validTo`, at
    /// `now`; saying yes records the reminder, so the next answer can be no.
    func shouldRemind(server: String, organization: String, validTo: Int64, now: Int64) -> Bool
}

/// Reminds within the warning window (`azdo.warnDays`, default 7, read at most once a day),
/// at most once a day per organization, so git's output stays clean. The days reminded are
/// kept in the state directory's `reminded` file (`DAY SERVER ORGANIZATION` lines, today's
/// only).
public struct DailyExpiryReminder: ExpiryReminder {
    /// The default warning window, in days.
    public static let defaultWarnDays: Int64 = 7
    /// The widest window `azdo.warnDays` may set.
    public static let maximumWarnDays: Int64 = 60

    private let directory: String?
    private let warnDays: @Sendable () -> Int64

    /// Creates a reminder keeping its ledger in `directory`; `warnDays` is asked only for a
    /// PAT that expires within `maximumWarnDays`, and at most once a day (see `window`).
    public init(directory: String? = StateDirectory.path, warnDays: @escaping @Sendable () -> Int64) {
        self.directory = directory
        self.warnDays = warnDays
    }

    /// The warning window from `azdo.warnDays` (global or system config), else the default.
    public static func configuredWarnDays() -> Int64 {
        guard let text = UserGitConfig.value("azdo.warnDays"), let days = Int64(text) else { return defaultWarnDays }
        return min(max(days, 0), maximumWarnDays)
    }

    /// Whether to remind now; records today's reminder when it says yes.
    public func shouldRemind(server: String, organization: String, validTo: Int64, now: Int64) -> Bool {
        let left = validTo - now
        guard left > 0, left <= Self.maximumWarnDays * 86_400 else { return false }
        let today = String(now / 86_400)
        guard let directory, StateDirectory.create(directory) else { return left <= warnDays() * 86_400 }
        guard left <= window(in: directory, today: today) * 86_400 else { return false }
        let entry = "\(today) \(server) \(organization)"
        let ledger = directory + "/reminded"
        let lines = String(decoding: StateFile.read(ledger) ?? [], as: UTF8.self).split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix(today + " ") }
        if lines.contains(entry) { return false }
        // A failed write (a full disk) only means the reminder may repeat today.
        _ = StateFile.replace(ledger, with: Array(((lines + [entry]).joined(separator: "\n") + "\n").utf8))
        return true
    }

    /// The warning window in days, asked of `warnDays` once a day and kept for the rest of
    /// it in the `warn-days` file (`DAY DAYS`): reading git config costs a `git` run (about
    /// 2.7 ms, a fifth of a `get`), and a PAT spends most of its life inside the widest window.
    private func window(in directory: String, today: String) -> Int64 {
        let file = directory + "/warn-days"
        let cached = String(decoding: StateFile.read(file) ?? [], as: UTF8.self).split(separator: " ")
        if cached.count == 2, cached[0] == today, let days = Int64(cached[1].filter(\.isNumber)) { return days }
        let days = warnDays()
        // A failed write only means the next `get` asks again.
        _ = StateFile.replace(file, with: Array("\(today) \(days)\n".utf8))
        return days
    }
}
