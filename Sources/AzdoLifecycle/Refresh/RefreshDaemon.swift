public import AzdoSystem

/// Waits for the daemon's next pass.
public protocol DaemonSleeper: Sendable {
    /// Suspends until Unix time `wake` (by the wall clock, so a machine that slept through
    /// it wakes the daemon at once); false when the daemon was told to stop instead.
    func sleep(until wake: Int64) async -> Bool
    /// Whether the daemon was told to stop (SIGTERM); checked between passes.
    var isStopped: Bool { get }
}

/// `daemon`: runs a refresh pass, sleeps until the next one is due, repeats until stopped,
/// for systems without systemd's user timers. It never polls: between passes it is
/// blocked in one timed wait.
public struct RefreshDaemon: Sendable {
    /// The longest sleep: warnings repeat daily, and a PAT stored meanwhile is seen within a day.
    public static let maximumSleep: Int64 = 86_400
    /// The sleep after a pass that failed (an API or sign-in problem), before trying again.
    public static let retryAfterFailure: Int64 = 3_600

    private let pass: @Sendable () async -> RefreshReport
    private let clock: any WallClock
    private let sleeper: any DaemonSleeper

    /// Creates the daemon; `pass` runs one refresh (taking the lock, saving the status).
    public init(pass: @escaping @Sendable () async -> RefreshReport, clock: any WallClock, sleeper: any DaemonSleeper) {
        self.pass = pass
        self.clock = clock
        self.sleeper = sleeper
    }

    /// Runs until the sleeper reports a stop; returns how many passes ran.
    @discardableResult
    public func run() async -> Int {
        var passes = 0
        while !sleeper.isStopped {
            let report = await pass()
            passes += 1
            guard !sleeper.isStopped, await sleeper.sleep(until: Self.nextWake(after: report, now: clock.now())) else {
                break
            }
        }
        return passes
    }

    /// When to run next: when the next PAT enters its window, but after at most a day, and
    /// after an hour when this pass failed; never sooner than a minute from now.
    public static func nextWake(after report: RefreshReport, now: Int64) -> Int64 {
        var wake = now + (report.hasFailures ? retryAfterFailure : maximumSleep)
        if let due = report.nextDue, due > now { wake = min(wake, due) }
        return max(wake, now + 60)
    }
}
