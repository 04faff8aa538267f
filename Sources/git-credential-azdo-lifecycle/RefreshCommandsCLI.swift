import ArgumentParser
import AzdoAPI
import AzdoKeyring
import AzdoLifecycle
import AzdoSetup
import AzdoSystem

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
        guard let lock = StateLock.acquire(in: directory) else { return nil }
        let commands = await LifecycleWiring.commands(tenant: nil, verbose: verbose)
        let tokens = AccessTokenCache()
        // Asked once per pass: without any stored sign-in, no organization can sign in.
        let anySignIn = commands.hasStoredSignIn
        let refresher = Refresher(
            store: SecretServiceStore.fromEnvironment(), journal: FileRotationJournal(directory: directory),
            signIn: { organization throws(SignInError) in
                guard anySignIn else { throw .notSignedIn }
                let signedIn = await commands.discoveringTenant(of: organization)
                let token = try await tokens.token(tenant: signedIn.tenant, from: signedIn.tokenSource)
                return signedIn.client(organization: organization, accessToken: token.token)
            },
            clock: SystemClock(), notifier: DesktopNotifier(), diagnostics: StandardErrorSink(),
            settings: RefreshSettings.load(), server: commands.gitServer, oauthSwitch: SettingsFileOAuthSwitch(),
            observer: KillSwitch.fromEnvironment(),
            progress: TerminalProgress())
        let report = await refresher.run()
        await commands.signInUpkeep(notifier: DesktopNotifier(), stateDirectory: directory).run()
        RefreshStatus(report: report, now: SystemClock().now()).save(in: directory)
        withExtendedLifetime(lock) {}
        return report
    }
}

#if DEBUG
/// Test-only fault injection, compiled into debug builds only (the tests run those; a
/// release build has no such hook): `GIT_CREDENTIAL_AZDO_TEST_KILL_AT=STEP` makes the
/// process SIGKILL itself right after that rotation step, so tests can prove that every
/// interruption is recovered.
struct KillSwitch: RotationObserver {
    let step: RotationStep

    static func fromEnvironment() -> KillSwitch? {
        Environment.value("GIT_CREDENTIAL_AZDO_TEST_KILL_AT").flatMap(RotationStep.init(rawValue:)).map(KillSwitch.init)
    }

    func reached(_ reached: RotationStep) {
        if reached == step { kill(getpid(), SIGKILL) }
    }
}
#else
/// Release builds have no fault injection.
enum KillSwitch {
    static func fromEnvironment() -> (any RotationObserver)? { nil }
}
#endif

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
    struct RefresherTimerCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "refresher", abstract: "Install, remove or show the daily systemd user timer that runs `refresh`.",
            subcommands: [Enable.self, Disable.self, Status.self, WriteUnits.self])
    }
}

extension LifecycleCommand.RefresherTimerCommand {
    /// The timer in the user's unit directory, or exit 1 with one line when there is none.
    static func timer() throws -> RefresherTimer {
        do {
            return RefresherTimer(unitDirectory: try RefresherTimer.userUnitDirectory(), systemctl: UserSystemctl())
        } catch {
            throw LifecycleWiring.fail(error)
        }
    }

    /// Runs `body`, turning its failure into one line on stderr and exit 1.
    static func reporting(_ body: () throws(RefresherTimerError) -> Void) throws {
        do { try body() } catch { throw LifecycleWiring.fail(error) }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enable", abstract: "Write the units to ~/.config/systemd/user and start the daily timer.")

        func run() throws {
            let timer = try timer()
            try reporting { () throws(RefresherTimerError) in try timer.enable(executable: InstalledExecutable.helper) }
            print("enabled: \(SystemdUnits.timerName) runs `git credential-azdo refresh` daily (units in \(timer.unitDirectory))")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Stop the timer and remove the units `enable` wrote.")

        func run() throws {
            let timer = try timer()
            try reporting { () throws(RefresherTimerError) in try timer.disable() }
            print("disabled: the timer is stopped and its units are removed")
        }
    }

    /// `refresher write-units`: the units for a package, from the same text `enable` writes.
    struct WriteUnits: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "write-units", abstract: "Write the units into DIRECTORY, running EXECUTABLE (for packaging).",
            shouldDisplay: false)

        @Option(help: "The installed helper's absolute path, for ExecStart.") var executable: String
        @Argument(help: "The directory to write the two units into.") var directory: String

        func run() throws {
            guard executable.hasPrefix("/") else {
                StandardErrorSink().report("--executable must be an absolute path (systemd runs ExecStart as given)")
                throw ExitCode(1)
            }
            var directory = directory
            if !directory.hasPrefix("/") {
                // Relative to where it was run (make install passes .build/systemd).
                guard let current = GitConfigScan.currentDirectory() else {
                    StandardErrorSink().report("cannot tell the current directory; give DIRECTORY as an absolute path")
                    throw ExitCode(1)
                }
                directory = current + "/" + directory
            }
            try reporting { () throws(RefresherTimerError) in
                try RefresherTimer.writeUnits(into: directory, executable: executable)
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Show whether the timer is installed and what the last refresh did.")

        func run() throws {
            let timer = try timer()
            let state = timer.state()
            print("units: \(state.installed ? "installed in \(timer.unitDirectory)" : "not installed (run `git credential-azdo refresher enable`)")")
            print("timer: \(state.enabled), \(state.active)")
            guard let directory = StateDirectory.path, let status = RefreshStatus.load(from: directory) else {
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
