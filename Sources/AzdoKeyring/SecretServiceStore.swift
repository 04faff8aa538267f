public import AzdoCredential
import AzdoSystem

/// PATs in the freedesktop Secret Service (gnome-keyring, KeePassXC, KWallet), one item
/// per organization and account. Non-secret facts are item attributes; the PAT is the
/// item's secret and nothing else.
///
/// - A lookup that finds only locked items, or nothing in a locked collection, unlocks and
///   looks again, with the prompt policy's bound (`KeyringPromptPolicy`).
/// - A store never replaces an item (KeePassXC before 2.7.6 hangs on that) and tags each
///   new item with a nonce: a store that failed or timed out after reaching the service is
///   reconciled by it, so it neither leaves a broken item behind nor stores twice.
/// - Every call has a timeout; every failure is a `KeyringError` that names the program
///   providing the Secret Service and its fix.
public struct SecretServiceStore: CredentialStore {
    /// The environment variable that overrides the timeout of each keyring call.
    public static let timeoutVariable = "GIT_CREDENTIAL_AZDO_KEYRING_TIMEOUT_MS"
    /// The timeout of each keyring call unless overridden.
    public static let defaultTimeoutMilliseconds = 5_000
    /// How many times a store that failed outright (kwalletd5 now and then forgets the
    /// session it just opened) is tried in all.
    static let storeAttempts = 3

    private let timeoutMilliseconds: Int
    private let prompts: KeyringPrompts
    private let calls: any SecretServiceCalls
    private let makeNonce: @Sendable () -> String

    /// Creates a store whose calls give up after `timeoutMilliseconds`, with prompts as
    /// `prompts` says, through `calls` (the C shim unless a test gives another).
    public init(
        timeoutMilliseconds: Int, prompts: KeyringPrompts = KeyringPrompts(),
        calls: any SecretServiceCalls = ShimSecretService(), makeNonce: @escaping @Sendable () -> String = Nonce.random
    ) {
        self.timeoutMilliseconds = max(1, timeoutMilliseconds)
        self.prompts = prompts
        self.calls = calls
        self.makeNonce = makeNonce
    }

    /// A store with the timeout from the environment, or the default.
    public static func fromEnvironment() -> SecretServiceStore {
        let value = Environment.value(timeoutVariable).flatMap { Int($0) }
        return SecretServiceStore(timeoutMilliseconds: value ?? defaultTimeoutMilliseconds)
    }

    /// Every item for `organization` on `server`, secrets loaded.
    public func credentials(server: String, organization: String) throws(KeyringError) -> [StoredItem] {
        try items([KeyringAttributes.kind: KeyringAttributes.patKind, KeyringAttributes.server: server,
                   KeyringAttributes.organization: organization])
    }

    /// Every item on `server`, whatever its organization.
    public func credentials(server: String) throws(KeyringError) -> [StoredItem] {
        try items([KeyringAttributes.kind: KeyringAttributes.patKind, KeyringAttributes.server: server])
    }

    /// Every item of this tool's PAT kind, on any server.
    public func allCredentials() throws(KeyringError) -> [StoredItem] {
        try items([KeyringAttributes.kind: KeyringAttributes.patKind])
    }

    private func items(_ query: [String: String]) throws(KeyringError) -> [StoredItem] {
        try lockAwareSearch(query).compactMap { item in
            KeyringAttributes.credential(from: item.attributes, secret: item.secret).map {
                StoredItem(id: item.path, credential: $0)
            }
        }
    }

    /// Adds `credential` to the default collection.
    public func add(_ credential: StoredCredential) throws(KeyringError) {
        try storeItem(
            KeyringAttributes.attributes(of: credential),
            label: "Azure DevOps PAT for \(credential.organization) (\(credential.username))",
            secret: KeyringAttributes.secret(of: credential))
    }

    /// Deletes the item at D-Bus path `id`; an item that no longer exists counts as deleted.
    public func remove(id: String) throws(KeyringError) {
        let wait = prompts.policy.changeWaitMilliseconds
        let result = calls.delete(path: id, timeoutMilliseconds: timeoutMilliseconds, promptMilliseconds: wait)
        guard case .failure(let failure) = result, !failure.isMissingObject else { return }
        throw keyringError(failure, purpose: .delete, promptMilliseconds: wait)
    }

    /// Every item another program stored under `schema` (its `xdg:schema`), with its
    /// attributes and secret; for importing, never for changing them.
    public func foreignItems(schema: String) throws(KeyringError) -> [ForeignItem] {
        try lockAwareSearch([:], schema: schema).compactMap { item in
            item.secret.map { ForeignItem(attributes: item.attributes, secret: $0) }
        }
    }

    // MARK: - Finding

    /// Items matching `query`. When only locked items match, or nothing does in a locked
    /// collection, they are unlocked (prompting as the policy allows) and searched again;
    /// what stays locked is `.locked`.
    func lockAwareSearch(_ query: [String: String], loadSecrets: Bool = true, schema: String? = nil)
        throws(KeyringError) -> [SecretServiceItem]
    {
        let first: SecretServiceSearch
        do {
            first = try search(query, loadSecrets: loadSecrets, schema: schema, unlock: false, purpose: .unlock, wait: 0)
        } catch .timedOut(let provider, let milliseconds) {
            return try searchHeldForUnlock(
                query, loadSecrets: loadSecrets, schema: schema, timeout: .timedOut(provider, milliseconds: milliseconds))
        }
        guard first.foundOnlyLocked else { return first.items }
        // A locked collection needs its password; locked items in an unlocked one (KeePassXC
        // asking to confirm each client) need someone to allow access.
        let purpose: KeyringPromptPurpose = first.collectionLocked ? .unlock : .access
        let wait = prompts.policy.unlockWaitMilliseconds
        guard wait > 0 else { throw promptsOff(purpose) }
        let second = try search(query, loadSecrets: loadSecrets, schema: schema, unlock: true, purpose: purpose, wait: wait)
        if second.foundOnlyLocked { throw .locked(provider()) }
        return second.items
    }

    /// A search that got no answer in time. KeePassXC with "unlock before search" on holds a
    /// search in a locked database until someone unlocks it in its own dialog, while it goes on
    /// answering other calls. So when the collection reads locked, that is what happened: on a
    /// desktop the search runs again with a person's time; without one, the answer is
    /// `.locked`. Otherwise the service is hung, and `timeout` says so.
    private func searchHeldForUnlock(
        _ query: [String: String], loadSecrets: Bool, schema: String?, timeout: KeyringError
    ) throws(KeyringError) -> [SecretServiceItem] {
        // A service that holds a search answers this at once; a hung one adds at most a second.
        guard case .success(true) = calls.collectionLocked(timeoutMilliseconds: min(timeoutMilliseconds, 1_000)) else {
            throw timeout
        }
        let policy = prompts.policy
        guard policy.personMayAnswer else { throw .locked(provider()) }
        let wait = max(policy.unlockWaitMilliseconds, timeoutMilliseconds)
        let found = try search(
            query, loadSecrets: loadSecrets, schema: schema, unlock: true, purpose: .unlock, wait: wait, timeout: wait)
        if found.foundOnlyLocked { throw .locked(provider()) }
        return found.items
    }

    private func search(
        _ query: [String: String], loadSecrets: Bool, schema: String?, unlock: Bool, purpose: KeyringPromptPurpose,
        wait: Int, timeout: Int? = nil
    ) throws(KeyringError) -> SecretServiceSearch {
        let result = calls.search(
            schema: schema, query: query, loadSecrets: loadSecrets, unlock: unlock,
            timeoutMilliseconds: timeout ?? timeoutMilliseconds, promptMilliseconds: wait)
        switch result {
        case .success(let found): return found
        case .failure(let failure): throw keyringError(failure, purpose: purpose, promptMilliseconds: wait)
        }
    }

    // MARK: - Storing

    /// Stores one item with exactly `attributes` (plus the schema and a fresh nonce).
    func storeItem(_ attributes: [String: String], label: String, secret: Secret) throws(KeyringError) {
        var attributes = attributes
        let nonce = makeNonce()
        attributes[KeyringAttributes.nonce] = nonce
        var unlocks = 0
        var attempt = 0
        while true {
            attempt += 1
            let wait = prompts.policy.changeWaitMilliseconds
            let result = calls.create(
                attributes: attributes, label: label, secret: secret, timeoutMilliseconds: timeoutMilliseconds,
                promptMilliseconds: wait)
            guard case .failure(let failure) = result else { return }
            switch failure.status {
            // kwalletd5 can read locked again right after an unlock other clients made at the same time.
            case .locked where unlocks < Self.storeAttempts:
                try unlockCollection()
                unlocks += 1
                attempt -= 1
            case .noBus, .noService, .noLibrary, .noCollection, .locked:
                // The call never reached an open collection: nothing can have been stored.
                throw keyringError(failure, purpose: .store, promptMilliseconds: wait)
            default:
                // It reached the service, which may have stored the item anyway.
                if reconcile(nonce: nonce, secret: secret) { return }
                // Trying again is for a store that failed outright; a slow or stopped
                // service, or a person who said no, gets the message instead.
                if failure.status != .failed || attempt >= Self.storeAttempts {
                    throw keyringError(failure, purpose: .store, promptMilliseconds: wait)
                }
            }
        }
    }

    /// What a store tagged `nonce` left: true when an item holds `secret` (the store
    /// happened after all). Items with the nonce and another secret (kwalletd5 can leave an
    /// empty one behind a failed store) are deleted. Best effort: a failure here leaves the
    /// original error to report.
    private func reconcile(nonce: String, secret: Secret) -> Bool {
        let found = calls.search(
            schema: nil, query: [KeyringAttributes.nonce: nonce], loadSecrets: true, unlock: false,
            timeoutMilliseconds: timeoutMilliseconds, promptMilliseconds: 0)
        guard case .success(let result) = found else { return false }
        let kept = result.items.first { $0.secret == secret }
        for item in result.items where item.path != kept?.path {
            _ = calls.delete(
                path: item.path, timeoutMilliseconds: timeoutMilliseconds,
                promptMilliseconds: prompts.policy.changeWaitMilliseconds)
        }
        return kept != nil
    }

    /// Unlocks the default collection for a store. kwalletd5, asked by several clients at
    /// once, answers some of them with a prompt that vanishes or unlocks nothing while
    /// another's opens the wallet: those the store just tries again.
    private func unlockCollection() throws(KeyringError) {
        let wait = prompts.policy.unlockWaitMilliseconds
        guard wait > 0 else { throw promptsOff(.unlock) }
        let result = calls.unlockCollection(timeoutMilliseconds: timeoutMilliseconds, promptMilliseconds: wait)
        if case .failure(let failure) = result, failure.status != .noSuchObject, failure.status != .locked {
            throw keyringError(failure, purpose: .unlock, promptMilliseconds: wait)
        }
    }

    // MARK: - The one funnel from failures to KeyringError

    private func provider() -> SecretServiceProvider {
        calls.provider(timeoutMilliseconds: min(timeoutMilliseconds, 2_000))
    }

    private func promptsOff(_ purpose: KeyringPromptPurpose) -> KeyringError {
        purpose == .unlock ? .locked(provider()) : .promptsOff(provider(), purpose)
    }

    private func keyringError(
        _ failure: SecretServiceFailure, purpose: KeyringPromptPurpose, promptMilliseconds: Int
    ) -> KeyringError {
        switch failure.status {
        case .noBus: return .noSessionBus(detail: failure.message)
        case .noService: return .noSecretService(detail: failure.message)
        case .locked: return .locked(provider())
        case .timeout: return .timedOut(provider(), milliseconds: timeoutMilliseconds)
        case .noCollection: return .noDefaultCollection(provider())
        case .promptDismissed: return purpose == .unlock ? .locked(provider()) : .promptDismissed(provider(), purpose)
        case .promptUnanswered:
            return .promptUnanswered(provider(), purpose, seconds: (promptMilliseconds + 999) / 1_000)
        case .noLibrary: return .libraryMissing(detail: failure.message)
        case .serviceStopped: return .serviceStopped(detail: failure.message)
        case .noSuchObject, .failed: return .failed(detail: failure.message)
        }
    }
}

extension SecretServiceFailure {
    /// Whether the object a call named does not exist: gnome-keyring answers a call on a
    /// deleted item "No such interface" (UnknownMethod), KeePassXC and kwalletd5 UnknownObject.
    var isMissingObject: Bool {
        status == .noSuchObject
            || (status == .failed && (message.contains("No such") || message.contains("does not exist")))
    }
}
