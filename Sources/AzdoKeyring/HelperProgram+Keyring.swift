public import AzdoCredential
import AzdoSystem

extension HelperProgram.Action {
    /// Runs this action for git: the credential on stdin, the real keyring, the reply on
    /// stdout, diagnostics on stderr. Returns the exit status.
    ///
    /// Lives apart from the argument-parsing commands because git runs it on every fetch and
    /// push: the executable that serves git links neither the argument parser nor Foundation,
    /// whose start-up was most of a `get`.
    public func runAgainstKeyring() -> Int32 {
        let diagnostics = StandardErrorSink()
        let store = SecretServiceStore.fromEnvironment()
        let helper = CredentialHelper(
            store: store,
            resolver: RemoteResolver(extraHosts: ConfiguredExtraHosts()),
            clock: SystemClock(),
            diagnostics: diagnostics,
            reminder: self == .get ? DailyExpiryReminder(warnDays: DailyExpiryReminder.configuredWarnDays) : nil,
            oauth: OAuthCredentials(types: ConfiguredCredentialTypes(), tokens: store, renewer: LifecycleAccessTokenRenewer()))
        let outcome = HelperProgram(helper: helper, diagnostics: diagnostics)
            .run(self, input: StandardStreams.readInput(limit: CredentialParser.maximumInputBytes))
        if !outcome.standardOutput.isEmpty {
            StandardStreams.write(outcome.standardOutput, to: 1)
        }
        return outcome.exitStatus
    }
}
