import AzdoCredential
import AzdoKeyring
import Synchronization
import Testing

/// The store's rules over a scripted Secret Service: stores that fail halfway, locks and
/// prompts, and the messages that come out.
@Suite("Secret Service store rules")
struct SecretServiceStoreRulesTests {
    static let policy = KeyringPromptPolicy(
        unlockWaitMilliseconds: 60_000, changeWaitMilliseconds: 3_000, personMayAnswer: true)

    func store(_ service: ScriptedSecretService, policy: KeyringPromptPolicy = Self.policy) -> SecretServiceStore {
        let counter = Mutex(0)
        return SecretServiceStore(
            timeoutMilliseconds: 5_000, prompts: KeyringPrompts(policy), calls: service,
            makeNonce: {
                counter.withLock { count in
                    count += 1
                    return "nonce-\(count)"
                }
            })
    }

    func pat(_ secret: String, storedAt: Int64 = 100) -> StoredCredential {
        StoredCredential(
            server: RemoteTarget.azureDevOpsServer, organization: "contoso", username: "me", secret: Secret(secret),
            metadata: PATMetadata(source: .typed, storedAt: storedAt))
    }

    @Test("a store whose answer was lost but which happened is kept once, not stored again")
    func lostAnswerIsReconciled() throws {
        let service = ScriptedSecretService()
        service.state.withLock {
            $0.createFailures = [(SecretServiceFailure(.timeout, "did not answer"), storedSecret: "pat-1")]
        }
        try store(service).add(pat("pat-1"))
        #expect(service.items.map(\.secret) == [Secret("pat-1")])
        #expect(service.calls == ["create", "search"])
    }

    @Test("a failed store that left an empty item behind (kwalletd5) is cleaned up and tried again")
    func brokenItemIsReplaced() throws {
        let service = ScriptedSecretService(provider: .kWallet)
        service.state.withLock {
            $0.createFailures = [(SecretServiceFailure(.failed, "Can't find session /1"), storedSecret: "")]
        }
        try store(service).add(pat("pat-1"))
        #expect(service.items.map(\.secret) == [Secret("pat-1")])
        #expect(service.items.first?.attributes["item_nonce"] == "nonce-1")
        #expect(service.calls == ["create", "search", "delete", "create"])
    }

    @Test("a store that keeps failing stops after three tries with one error, and leaves no item")
    func repeatedFailureGivesUp() {
        let service = ScriptedSecretService(provider: .kWallet)
        let failure = SecretServiceFailure(.failed, "Can't find session /1")
        service.state.withLock { $0.createFailures = Array(repeating: (failure, storedSecret: nil), count: 5) }
        #expect(throws: KeyringError.failed(detail: "Can't find session /1")) { try store(service).add(pat("pat-1")) }
        #expect(service.items.isEmpty)
        #expect(service.calls.filter { $0 == "create" }.count == 3)
    }

    @Test("a store that timed out and did not happen is reported, never sent again")
    func timeoutIsNotRetried() {
        let service = ScriptedSecretService(provider: .gnomeKeyring)
        service.state.withLock { $0.createFailures = [(SecretServiceFailure(.timeout, "slow"), storedSecret: nil)] }
        #expect(throws: KeyringError.timedOut(.gnomeKeyring, milliseconds: 5_000)) { try store(service).add(pat("pat-1")) }
        #expect(service.calls == ["create", "search"])
    }

    @Test("a locked collection is unlocked once, with the person's bound, then the PAT is stored")
    func lockedCollectionIsUnlockedForAStore() throws {
        let service = ScriptedSecretService(provider: .gnomeKeyring)
        service.state.withLock { $0.collectionLocked = true }
        try store(service).add(pat("pat-1"))
        #expect(service.calls == ["create", "unlock", "create"])
        #expect(service.state.withLock { $0.promptWaits } == [60_000])
        #expect(service.items.count == 1)
    }

    @Test("an unlock whose prompt vanished or unlocked nothing (kwalletd5 with clients unlocking at once) is tried again")
    func unlockRaceIsRetried() throws {
        let service = ScriptedSecretService(provider: .kWallet)
        service.state.withLock {
            $0.collectionLocked = true
            $0.unlockFailures = [
                SecretServiceFailure(.noSuchObject, "No such object path '/org/freedesktop/secrets/prompt/p2'"),
                SecretServiceFailure(.locked, "the Secret Service unlocked nothing"),
            ]
        }
        try store(service).add(pat("pat-1"))
        #expect(service.calls == ["create", "unlock", "create", "unlock", "create", "unlock", "create"])
        #expect(service.items.count == 1)

        service.state.withLock {
            $0.collectionLocked = true
            $0.unlockFailures = Array(repeating: SecretServiceFailure(.locked, "unlocked nothing"), count: 5)
        }
        #expect(throws: KeyringError.locked(.kWallet)) { try store(service).add(pat("pat-2")) }
    }

    @Test("with unlock prompts off, a locked collection is reported locked and nobody is asked")
    func promptsOff() {
        let service = ScriptedSecretService(provider: .gnomeKeyring)
        service.state.withLock { $0.collectionLocked = true }
        let off = KeyringPromptPolicy(unlockWaitMilliseconds: 0, changeWaitMilliseconds: 3_000)
        #expect(throws: KeyringError.locked(.gnomeKeyring)) { try store(service, policy: off).add(pat("pat-1")) }
        #expect(throws: KeyringError.locked(.gnomeKeyring)) {
            try store(service, policy: off).credentials(server: RemoteTarget.azureDevOpsServer, organization: "contoso")
        }
        #expect(!service.calls.contains("unlock") && !service.calls.contains("search+unlock"))
    }

    @Test("a lookup that finds only locked items asks for access once, then returns them")
    func lockedItemsAreUnlockedForALookup() throws {
        let service = ScriptedSecretService()
        try store(service).add(pat("pat-1"))
        service.state.withLock {
            $0.itemsLocked = true
            $0.calls = []
        }
        let items = try store(service).credentials(server: RemoteTarget.azureDevOpsServer, organization: "contoso")
        #expect(items.map(\.credential.secret) == [Secret("pat-1")])
        #expect(service.calls == ["search", "search+unlock"])
        #expect(service.state.withLock { $0.promptWaits } == [60_000])
    }

    @Test("an access prompt nobody answers is one error naming KeePassXC and its setting, and changes nothing")
    func unansweredAccessPrompt() throws {
        let service = ScriptedSecretService()
        try store(service).add(pat("pat-1"))
        service.state.withLock {
            $0.itemsLocked = true
            $0.promptsComplete = false
        }
        let error = KeyringError.promptUnanswered(.keePassXC, .access, seconds: 60)
        #expect(throws: error) {
            try store(service).credentials(server: RemoteTarget.azureDevOpsServer, organization: "contoso")
        }
        #expect(error.description.contains("KeePassXC"))
        #expect(error.description.contains("Confirm when passwords are retrieved by clients"))
        #expect(service.items.count == 1)
    }

    @Test("a search KeePassXC holds until its database is unlocked: locked without a display; on a desktop, a person's time")
    func searchHeldForUnlock() throws {
        let service = ScriptedSecretService()
        try store(service).add(pat("pat-1"))
        service.state.withLock {
            $0.collectionLocked = true
            $0.searchWaitsForUnlock = true
            $0.promptsComplete = false
            $0.calls = []
        }
        let headless = KeyringPromptPolicy(unlockWaitMilliseconds: 3_000, changeWaitMilliseconds: 3_000)
        #expect(throws: KeyringError.locked(.keePassXC)) {
            try store(service, policy: headless).credentials(server: RemoteTarget.azureDevOpsServer, organization: "contoso")
        }
        #expect(service.calls == ["search", "locked?"])

        service.state.withLock {
            $0.promptsComplete = true
            $0.calls = []
            $0.promptWaits = []
        }
        let items = try store(service).credentials(server: RemoteTarget.azureDevOpsServer, organization: "contoso")
        #expect(items.map(\.credential.secret) == [Secret("pat-1")])
        #expect(service.calls == ["search", "locked?", "search+unlock"])
        #expect(service.state.withLock { $0.promptWaits } == [5_000, 60_000], "the second search had a person's time")
    }

    @Test("a search that times out in an unlocked collection is a hung service, named")
    func hungSearch() {
        let service = ScriptedSecretService(provider: .kWallet)
        service.state.withLock { $0.searchFailures = [SecretServiceFailure(.timeout, "no answer")] }
        #expect(throws: KeyringError.timedOut(.kWallet, milliseconds: 5_000)) {
            try store(service).credentials(server: RemoteTarget.azureDevOpsServer, organization: "contoso")
        }
        #expect(service.calls == ["search", "locked?"])
    }

    @Test("removing an item that is already gone succeeds")
    func removingAGoneItem() throws {
        let service = ScriptedSecretService()
        try store(service).remove(id: "/item/404")
        #expect(service.calls == ["delete"])
    }

    @Test("every message names the service that provides the keyring", arguments: SecretServiceProvider.allCases)
    func messagesNameTheService(provider: SecretServiceProvider) {
        let errors: [KeyringError] = [
            .locked(provider), .timedOut(provider, milliseconds: 300), .noDefaultCollection(provider),
            .promptUnanswered(provider, .unlock, seconds: 3), .promptDismissed(provider, .delete),
            .promptsOff(provider, .access),
        ]
        for error in errors {
            #expect(error.description.contains(provider.name), "\(error)")
            #expect(!error.description.contains("\n"))
        }
        let others = SecretServiceProvider.allCases.filter { $0 != provider && $0 != .unknown }
        for other in others {
            #expect(!KeyringError.locked(provider).description.contains(other.name), "\(provider) names \(other)")
        }
    }

    @Test("prompt bounds: a person's time on a desktop, a short bound without a display, none when off")
    func promptPolicy() {
        let desktop = KeyringPromptPolicy.resolve(desktop: true, enabled: nil, timeoutSeconds: nil)
        #expect(desktop == KeyringPromptPolicy(
            unlockWaitMilliseconds: 60_000, changeWaitMilliseconds: 60_000, personMayAnswer: true))
        let headless = KeyringPromptPolicy.resolve(desktop: false, enabled: nil, timeoutSeconds: "90")
        #expect(headless == KeyringPromptPolicy(unlockWaitMilliseconds: 3_000, changeWaitMilliseconds: 3_000))
        let configured = KeyringPromptPolicy.resolve(desktop: true, enabled: "yes", timeoutSeconds: "5")
        #expect(configured == KeyringPromptPolicy(
            unlockWaitMilliseconds: 5_000, changeWaitMilliseconds: 5_000, personMayAnswer: true))
        let off = KeyringPromptPolicy.resolve(desktop: true, enabled: "false", timeoutSeconds: "5")
        #expect(off == KeyringPromptPolicy(unlockWaitMilliseconds: 0, changeWaitMilliseconds: 3_000))
        let clamped = KeyringPromptPolicy.resolve(desktop: true, enabled: nil, timeoutSeconds: "100000")
        #expect(clamped.unlockWaitMilliseconds == 600_000)
    }
}
