import AzdoCredential
import AzdoTestSupport

/// A `CredentialHelper` and `HelperProgram` wired to an in-memory store, a fixed clock and a recording sink.
struct HelperFixture {
    /// 2026-01-01T00:00:00Z.
    static let defaultNow: Int64 = 1_767_225_600

    let store: InMemoryCredentialStore
    let sink = RecordingSink()
    let extraHosts: FakeExtraHostSource
    let helper: CredentialHelper
    let program: HelperProgram

    init(
        now: Int64 = defaultNow, extraHosts: FakeExtraHostSource = FakeExtraHostSource(),
        reminder: (any ExpiryReminder)? = nil, store: InMemoryCredentialStore = InMemoryCredentialStore()
    ) {
        self.store = store
        self.extraHosts = extraHosts
        helper = CredentialHelper(
            store: store, resolver: RemoteResolver(extraHosts: extraHosts), clock: FixedClock(now), diagnostics: sink,
            reminder: reminder)
        program = HelperProgram(helper: helper, diagnostics: sink)
    }

    /// Stores a PAT for `organization` on Azure DevOps directly in the store; returns its id.
    @discardableResult
    func seed(
        _ organization: String, user: String? = nil, secret: String, storedAt: Int64 = 1_000, validTo: Int64? = nil,
        server: String = RemoteTarget.azureDevOpsServer
    ) -> String {
        store.seed(StoredCredential(
            server: server, organization: organization, username: user ?? organization, secret: Secret(secret),
            metadata: PATMetadata(source: .typed, storedAt: storedAt, validTo: validTo)))
    }
}
