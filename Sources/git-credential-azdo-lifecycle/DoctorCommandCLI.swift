import ArgumentParser
import AzdoAPI
import AzdoCredential
import AzdoKeyring
import AzdoLifecycle
import AzdoNetwork
import AzdoSetup
import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

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
            let doctor = AzdoSetup.Doctor(
                probe: SystemDoctorProbe(), credentials: keyring, refreshTokens: keyring,
                transport: CurlTransport(environment: Environment.all(), timeoutSeconds: min(settings.httpTimeoutSeconds, 10)),
                clock: SystemClock(), settings: settings, refreshSettings: RefreshSettings.load())
            let findings = await doctor.run(network: !offline)
            for finding in findings { print(finding.line) }
            if findings.contains(where: { $0.level == .fail }) { throw ExitCode(1) }
        }
    }
}
