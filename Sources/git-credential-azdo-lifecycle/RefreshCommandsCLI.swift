import ArgumentParser
import AzdoCredential
import AzdoKeyring
import AzdoLifecycle
import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Builds the refresher over the real keyring, network, journal and desktop notifications.
enum RefreshWiring {
    /// The state directory, or exit 1 with one line when there is none.
    static func stateDirectory() throws -> String {
        guard let directory = StateDirectory.path else {
            StandardErrorSink().report("neither XDG_STATE_HOME nor HOME is set, so there is nowhere to keep the refresher's state")
            throw ExitCode(1)
        }
        return directory
    }

    /// One pass under the lock; nil when another refresh holds it.
    static func pass(directory: String, verbose: Bool) async -> RefreshReport? {
        guard let lock = RefreshLock.acquire(in: directory) else { return nil }
        let commands = await LifecycleWiring.commands(tenant: nil, verbose: verbose)
        let tokens = AccessTokenCache()
        // Asked once per pass: without any stored sign-in, no organization can sign in.
        let anySignIn = commands.hasStoredSignIn
        let refresher = Refresher(
            store: SecretServiceStore.fromEnvironment(), journal: FileRotationJournal(directory: directory),
            signIn: { organization throws(SignInError) in
                guard anySignIn else { throw .notSignedIn }
                let signedIn = await commands.discoveringTenant(of: organization)
                let token = try await tokens.token(tenant: signedIn.tenant, from: signedIn.refreshTokenSession)
                return signedIn.client(organization: organization, accessToken: token)
            },
            clock: SystemClock(), notifier: DesktopNotifier(), diagnostics: StandardErrorSink(),
            settings: RefreshSettings.load(), server: commands.gitServer, observer: KillSwitch.fromEnvironment(),
            progress: TerminalProgress())
        let report = await refresher.run()
        RefreshStatus(report: report, now: SystemClock().now()).save(in: directory)
        withExtendedLifetime(lock) {}
        return report
    }
}

/// Test-only fault injection: `GIT_CREDENTIAL_AZDO_TEST_KILL_AT=STEP` makes the process
/// SIGKILL itself right after that rotation step, so tests can prove that every
/// interruption is recovered. Unset, it is never installed.
struct KillSwitch: RotationObserver {
    let step: RotationStep

    static func fromEnvironment() -> KillSwitch? {
        Environment.value("GIT_CREDENTIAL_AZDO_TEST_KILL_AT").flatMap(RotationStep.init(rawValue:)).map(KillSwitch.init)
    }

    func reached(_ reached: RotationStep) {
        if reached == step { kill(getpid(), SIGKILL) }
    }
}

/// Sleeps on a wall-clock Dispatch timer; SIGTERM or SIGINT wakes it for good.
final class SignalAwareSleeper: DaemonSleeper, @unchecked Sendable {
    private let queue = DispatchQueue(label: "git-credential-azdo.daemon")
    // Touched only on `queue`.
    private var stopped = false
    private var waiting: CheckedContinuation<Bool, Never>?
    private var timer: (any DispatchSourceTimer)?
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                stopped = true
                wake(false)
            }
            source.resume()
            sources.append(source)
        }
    }

    var isStopped: Bool { queue.sync { stopped } }

    func sleep(until wake: Int64) async -> Bool {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                guard !stopped else { return continuation.resume(returning: false) }
                waiting = continuation
                let timer = DispatchSource.makeTimerSource(queue: queue)
                timer.schedule(wallDeadline: DispatchWallTime(timespec: timespec(tv_sec: Int(wake), tv_nsec: 0)))
                timer.setEventHandler { [unowned self] in self.wake(true) }
                timer.resume()
                self.timer = timer
            }
        }
    }

    /// On `queue`: ends the current wait, if any.
    private func wake(_ result: Bool) {
        timer?.cancel()
        timer = nil
        waiting?.resume(returning: result)
        waiting = nil
    }
}

extension LifecycleCommand {
    /// `refresh`: one pass over every stored PAT.
    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "refresh",
            abstract: "Warn about expiring PATs and regenerate them; one pass (the timer or daemon runs it daily).",
            discussion: """
                Warns (stderr and a desktop notification) about PATs within azdo.warnDays (default 7) \\
                of expiry, and regenerates PATs made by `pat create` within azdo.rotateDays (default 7; \\
                `git config --global azdo.ORG.rotate false` turns it off for one organization). A \\
                regenerated PAT keeps its scopes and lifespan; it is stored before the old one is \\
                revoked (after azdo.revokeGraceHours, default 0). A rotation interrupted at any point \\
                is finished or undone by the next run. Exits 1 when something failed.
                """)

        @OptionGroup var trace: TraceOptions

        func run() async throws {
            let directory = try RefreshWiring.stateDirectory()
            guard let report = await RefreshWiring.pass(directory: directory, verbose: trace.verbose) else {
                StandardErrorSink().report("another refresh is running; this one did nothing")
                return
            }
            if report.hasFailures { throw ExitCode(1) }
        }
    }

    /// `daemon`: refresh whenever due, for systems without systemd.
    struct Daemon: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "daemon",
            abstract: "Run `refresh` whenever something is due, until SIGTERM (for systems without systemd).",
            discussion: """
                Sleeps until the next PAT enters its warning or rotation window (at most a day; an hour \\
                after a failure), runs a pass, and repeats. Start it from your session's startup, e.g. \\
                `git credential-azdo daemon &` in ~/.profile. SIGTERM or SIGINT stop it between passes.
                """)

        @OptionGroup var trace: TraceOptions

        func run() async throws {
            let directory = try RefreshWiring.stateDirectory()
            let verbose = trace.verbose
            let sleeper = SignalAwareSleeper()
            let daemon = RefreshDaemon(
                pass: {
                    guard let report = await RefreshWiring.pass(directory: directory, verbose: verbose) else {
                        StandardErrorSink().report("another refresh is running; trying again in an hour")
                        var busy = RefreshReport()
                        busy.add(.init(organization: nil, outcome: .failed("busy")))
                        return busy
                    }
                    return report
                }, clock: SystemClock(), sleeper: sleeper)
            StandardErrorSink().report("daemon started (pid \(getpid()))")
            let passes = await daemon.run()
            StandardErrorSink().report("daemon stopped after \(passes) pass(es)")
        }
    }

    /// `refresher enable|disable|status`: the systemd user timer.
    struct RefresherTimer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "refresher", abstract: "Install, remove or show the daily systemd user timer that runs `refresh`.",
            subcommands: [Enable.self, Disable.self, Status.self])
    }
}

extension LifecycleCommand.RefresherTimer {
    /// `$XDG_CONFIG_HOME/systemd/user` (default `~/.config/systemd/user`).
    static func unitDirectory() throws -> String {
        if let config = Environment.value("XDG_CONFIG_HOME"), config.hasPrefix("/") { return config + "/systemd/user" }
        guard let home = Environment.value("HOME"), home.hasPrefix("/") else {
            StandardErrorSink().report("HOME is not set, so there is no systemd user unit directory")
            throw ExitCode(1)
        }
        return home + "/.config/systemd/user"
    }

    /// `systemctl --user ARGUMENTS`; its stdout, or nil when it failed or is missing.
    static func systemctl(_ arguments: [String]) -> String? {
        ChildProcess.output(of: ["systemctl", "--user"] + arguments)
    }


    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enable", abstract: "Write the units to ~/.config/systemd/user and start the daily timer.")

        func run() throws {
            let directory = try unitDirectory()
            guard StateDirectory.create(directory) else {
                StandardErrorSink().report("cannot create \(directory); check its permissions")
                throw ExitCode(1)
            }
            for (name, text) in [
                (SystemdUnits.serviceName, SystemdUnits.service(executable: InstalledExecutable.helper)),
                (SystemdUnits.timerName, SystemdUnits.timer),
            ] {
                if let failure = StateFile.replace(directory + "/" + name, with: Array(text.utf8)) {
                    StandardErrorSink().report("cannot write \(directory)/\(name) (\(failure))")
                    throw ExitCode(1)
                }
            }
            guard systemctl(["daemon-reload"]) != nil,
                systemctl(["enable", "--now", SystemdUnits.timerName]) != nil
            else {
                StandardErrorSink().report(
                    "wrote the units to \(directory), but systemd's user manager did not take them "
                        + "(`systemctl --user` failed or is missing); without systemd, run `git credential-azdo daemon` "
                        + "from your session's startup instead")
                throw ExitCode(1)
            }
            print("enabled: \(SystemdUnits.timerName) runs `git credential-azdo refresh` daily (units in \(directory))")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Stop the timer and remove the units `enable` wrote.")

        func run() throws {
            let directory = try unitDirectory()
            _ = systemctl(["disable", "--now", SystemdUnits.timerName])
            for name in [SystemdUnits.timerName, SystemdUnits.serviceName] {
                if let failure = StateFile.remove(directory + "/" + name) {
                    StandardErrorSink().report("cannot remove \(directory)/\(name) (\(failure))")
                    throw ExitCode(1)
                }
            }
            _ = systemctl(["daemon-reload"])
            print("disabled: the timer is stopped and its units are removed")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Show whether the timer is installed and what the last refresh did.")

        func run() throws {
            let directory = try unitDirectory()
            let installed = [SystemdUnits.serviceName, SystemdUnits.timerName].allSatisfy {
                access(directory + "/" + $0, F_OK) == 0
            }
            print("units: \(installed ? "installed in \(directory)" : "not installed (run `git credential-azdo refresher enable`)")")
            let enabled = systemctl(["is-enabled", SystemdUnits.timerName]).map { String($0.trimmingWhitespace()) } ?? "unknown"
            let active = systemctl(["is-active", SystemdUnits.timerName]).map { String($0.trimmingWhitespace()) }
                ?? "inactive or unknown"
            print("timer: \(enabled), \(active)")
            guard let state = StateDirectory.path, let status = RefreshStatus.load(from: state) else {
                print("last refresh: never")
                return
            }
            print("last refresh: \(CivilDate.string(fromUnixSeconds: status.ranAt)) "
                + (status.needsAttention ? "(needs attention)" : "(all fine)"))
            for line in status.lines { print("  \(line)") }
            if let due = status.nextDue { print("next due: \(CivilDate.string(fromUnixSeconds: due))") }
        }
    }
}
