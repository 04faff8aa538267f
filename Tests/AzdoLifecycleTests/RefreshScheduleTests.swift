import AzdoLifecycle
import AzdoSetup
import AzdoTestSupport
import Foundation
import Synchronization
import Testing

/// A daemon sleeper that never waits: it moves the clock to the wake time and stops after
/// a given number of sleeps.
final class ClockMovingSleeper: DaemonSleeper {
    private let clock: MovableClock
    private let state: Mutex<(wakes: [Int64], left: Int)>

    init(clock: MovableClock, sleeps: Int) {
        self.clock = clock
        state = Mutex(([], sleeps))
    }

    var wakes: [Int64] { state.withLock { $0.wakes } }
    var isStopped: Bool { state.withLock { $0.left < 0 } }

    func sleep(until wake: Int64) async -> Bool {
        let go = state.withLock { state -> Bool in
            state.left -= 1
            guard state.left >= 0 else { return false }
            state.wakes.append(wake)
            return true
        }
        if go { clock.advance(seconds: wake - clock.now()) }
        return go
    }
}

@Suite("Refresh settings and the daemon's schedule")
struct RefreshScheduleTests {
    @Test("settings come from azdo.* config; bad numbers keep the defaults; rotation can be switched off per organization")
    func settings() {
        #expect(RefreshSettings.parse([]) == RefreshSettings())
        let settings = RefreshSettings.parse([
            ("azdo.warndays", "10"), ("azdo.rotatedays", "3"), ("azdo.revokegracehours", "2"),
            ("azdo.Contoso.rotate", "false"), ("azdo.fabrikam.rotate", "off"), ("azdo.fabrikam.rotate", "yes"),
            ("azdo.my.org.rotate", "no"), ("azdo.warndays", "soon"), ("azdo.extrahost", "x"),
        ])
        #expect(settings == RefreshSettings(
            warnDays: 10, rotateDays: 3, revokeGraceSeconds: 7_200, rotationDisabled: ["contoso", "my.org"]))
        #expect(RefreshSettings.parse([("azdo.warndays", "-4"), ("azdo.rotatedays", "999")])
            == RefreshSettings(warnDays: 0, rotateDays: 60))
    }

    @Test("the next wake: the next window, at most a day away, an hour after a failure, never under a minute")
    func nextWake() {
        let now: Int64 = 1_000_000
        var report = RefreshReport()
        #expect(RefreshDaemon.nextWake(after: report, now: now) == now + 86_400)
        report.nextDue = now + 3 * 3_600
        #expect(RefreshDaemon.nextWake(after: report, now: now) == now + 3 * 3_600)
        report.nextDue = now + 5 * 86_400
        #expect(RefreshDaemon.nextWake(after: report, now: now) == now + 86_400)
        report.nextDue = now + 10
        #expect(RefreshDaemon.nextWake(after: report, now: now) == now + 60)
        report.nextDue = now
        report.add(.init(organization: "contoso", outcome: .rotationFailed(validTo: now + 86_400, reason: "500")))
        #expect(RefreshDaemon.nextWake(after: report, now: now) == now + 3_600)
    }

    @Test("the daemon runs a pass, sleeps until the next is due, and stops when told")
    func daemonLoop() async {
        let clock = MovableClock(1_795_392_000)
        let sleeper = ClockMovingSleeper(clock: clock, sleeps: 3)
        let passes = Mutex<[Int64]>([])
        let daemon = RefreshDaemon(
            pass: {
                let now = clock.now()
                passes.withLock { $0.append(now) }
                var report = RefreshReport()
                report.nextDue = now + 7_200
                return report
            }, clock: clock, sleeper: sleeper)
        #expect(await daemon.run() == 4)
        let start: Int64 = 1_795_392_000
        #expect(passes.withLock { $0 } == [start, start + 7_200, start + 14_400, start + 21_600])
        #expect(sleeper.wakes == [start + 7_200, start + 14_400, start + 21_600])
    }
}
