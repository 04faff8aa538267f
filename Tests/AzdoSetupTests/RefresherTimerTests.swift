import AzdoSetup
import AzdoTestSupport
import Foundation
import Synchronization
import Testing

/// A user systemd that records every call and answers from a table.
final class RecordingSystemctl: Systemctl {
    private let calls = Mutex<[[String]]>([])
    private let answers: [String: String]

    /// `answers` maps a call's first argument to its stdout; any other call fails.
    init(answers: [String: String]) {
        self.answers = answers
    }

    var recorded: [[String]] { calls.withLock { $0 } }

    func user(_ arguments: [String]) -> String? {
        calls.withLock { $0.append(arguments) }
        return answers[arguments[0]]
    }
}

@Suite("The refresher's systemd timer")
struct RefresherTimerTests {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("azdo-timer-\(UUID().uuidString)/systemd/user").path

    func unit(_ name: String) -> String? {
        try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }

    @Test("enable writes both units for the executable, reloads systemd, then enables and starts the timer")
    func enable() throws {
        let systemctl = RecordingSystemctl(answers: ["daemon-reload": "", "enable": ""])
        try RefresherTimer(unitDirectory: directory, systemctl: systemctl).enable(executable: "/opt/bin/git-credential-azdo")
        #expect(unit(SystemdUnits.serviceName) == SystemdUnits.service(executable: "/opt/bin/git-credential-azdo"))
        #expect(unit(SystemdUnits.serviceName)?.contains("ExecStart=/opt/bin/git-credential-azdo refresh\n") == true)
        #expect(unit(SystemdUnits.timerName) == SystemdUnits.timer)
        #expect(systemctl.recorded == [["daemon-reload"], ["enable", "--now", SystemdUnits.timerName]])
    }

    @Test("without a systemd user manager, enable keeps the units and says what to run instead")
    func enableWithoutSystemd() throws {
        let timer = RefresherTimer(unitDirectory: directory, systemctl: RecordingSystemctl(answers: [:]))
        #expect(throws: RefresherTimerError.systemdRefused(directory: directory)) {
            try timer.enable(executable: "/usr/bin/git-credential-azdo")
        }
        #expect(unit(SystemdUnits.timerName) == SystemdUnits.timer)
        #expect(RefresherTimerError.systemdRefused(directory: directory).description
            .hasSuffix("run `git credential-azdo daemon` from your session's startup instead"))
    }

    @Test("disable stops the timer and removes the units; state follows")
    func disable() throws {
        let systemctl = RecordingSystemctl(answers: [
            "daemon-reload": "", "enable": "", "disable": "", "is-enabled": "enabled\n", "is-active": "active\n",
        ])
        let timer = RefresherTimer(unitDirectory: directory, systemctl: systemctl)
        try timer.enable(executable: "/usr/bin/git-credential-azdo")
        #expect(timer.state() == .init(installed: true, enabled: "enabled", active: "active"))
        try timer.disable()
        #expect(unit(SystemdUnits.serviceName) == nil && unit(SystemdUnits.timerName) == nil)
        #expect(systemctl.recorded.suffix(4) == [
            ["is-enabled", SystemdUnits.timerName], ["is-active", SystemdUnits.timerName],
            ["disable", "--now", SystemdUnits.timerName], ["daemon-reload"],
        ])
        #expect(
            RefresherTimer(unitDirectory: directory, systemctl: RecordingSystemctl(answers: [:])).state()
                == .init(installed: false, enabled: "unknown", active: "inactive or unknown"))
    }

    @Test("disable without a systemd user manager still removes the units")
    func disableWithoutSystemd() throws {
        try RefresherTimer.writeUnits(into: directory, executable: "/usr/bin/git-credential-azdo")
        let systemctl = RecordingSystemctl(answers: [:])
        try RefresherTimer(unitDirectory: directory, systemctl: systemctl).disable()
        #expect(unit(SystemdUnits.serviceName) == nil && unit(SystemdUnits.timerName) == nil)
        #expect(systemctl.recorded == [["disable", "--now", SystemdUnits.timerName], ["daemon-reload"]])
    }

    @Test("doctor's timer state: nil without a user manager, `disabled` when is-enabled fails, else its answer")
    func doctorTimerState() {
        #expect(SystemDoctorProbe(systemctl: RecordingSystemctl(answers: [:])).timerState() == nil)
        #expect(SystemDoctorProbe(systemctl: RecordingSystemctl(answers: ["show-environment": ""])).timerState() == "disabled")
        let running = RecordingSystemctl(answers: ["is-system-running": "running\n", "is-enabled": "enabled\n"])
        #expect(SystemDoctorProbe(systemctl: running).timerState() == "enabled")
        #expect(running.recorded == [["is-system-running"], ["is-enabled", SystemdUnits.timerName]])
    }

    @Test("a unit directory that cannot be made is named in the error")
    func unwritable() {
        #expect(throws: RefresherTimerError.cannotCreate(directory: "/dev/null/systemd/user")) {
            try RefresherTimer.writeUnits(into: "/dev/null/systemd/user", executable: "/usr/bin/git-credential-azdo")
        }
    }
}
