import ArgumentParser
import AzdoCredential
import AzdoKeyring
import AzdoLifecycle
import AzdoNetwork

#if canImport(Glibc)
import Glibc
#endif

/// The machine as `doctor` sees it: git, its config, the session bus and systemd.
struct SystemDoctorProbe: DoctorProbe {
    func gitVersion() -> String? {
        ChildProcess.output(of: ["git", "--version"]).map { String(($0.split(separator: " ").last ?? "").trimmingWhitespace()) }
    }

    func credentialEntries() -> [(key: String, value: String)] {
        guard let output = ChildProcess.output(of: ["git", "config", "--get-regexp", #"^credential\."#]) else { return [] }
        return output.split(separator: "\n").map { line in
            guard let space = line.firstIndex(of: " ") else { return (String(line), "") }
            return (String(line[..<space]), String(line[line.index(after: space)...]))
        }
    }

    func hasSessionBus() -> Bool {
        if let address = Environment.value("DBUS_SESSION_BUS_ADDRESS"), !address.isEmpty { return true }
        guard let runtime = Environment.value("XDG_RUNTIME_DIR"), !runtime.isEmpty else { return false }
        return access(runtime + "/bus", F_OK) == 0
    }

    func timerState() -> String? {
        guard ChildProcess.output(of: ["systemctl", "--user", "is-system-running"]) != nil
            || ChildProcess.output(of: ["systemctl", "--user", "show-environment"]) != nil
        else { return nil }
        return ChildProcess.output(of: ["systemctl", "--user", "is-enabled", SystemdUnits.timerName])
            .map { String($0.trimmingWhitespace()) } ?? "disabled"
    }

    func secretServiceProvider() -> SecretServiceProvider {
        ShimSecretService().provider(timeoutMilliseconds: 2_000)
    }
}

extension LifecycleCommand {
    /// `doctor`: check everything between git and a working PAT.
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Check git, its config, the keyring, the sign-in, every PAT, the refresher and the network.",
            discussion: """
                One line per check: ok, warn or FAIL, with the fix. Exits 0 when nothing failed \\
                (warnings included), 1 when something must be fixed for git to get a working PAT. \\
                Never prints a secret.
                """)

        @Flag(help: "Skip the reachability and clock checks (no network).") var offline = false

        func run() async throws {
            let keyring = SecretServiceStore.fromEnvironment()
            let settings = LifecycleSettings.load(diagnostics: StandardErrorSink())
            let doctor = AzdoLifecycle.Doctor(
                probe: SystemDoctorProbe(), credentials: keyring, refreshTokens: keyring,
                transport: AsyncHTTPTransport(environment: Environment.all(), timeoutSeconds: min(settings.httpTimeoutSeconds, 10)),
                clock: SystemClock(), settings: settings, refreshSettings: RefreshSettings.load())
            let findings = await doctor.run(network: !offline)
            for finding in findings { print(finding.line) }
            if findings.contains(where: { $0.level == .fail }) { throw ExitCode(1) }
        }
    }
}
