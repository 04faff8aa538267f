import AzdoCredential
import AzdoKeyring
import Synchronization

/// An in-memory Secret Service behind the `SecretServiceCalls` seam, for the store's rules:
/// items, a lock on the collection or on items, prompts that complete or not, and scripted
/// failures of the next calls. Every call is recorded.
final class ScriptedSecretService: SecretServiceCalls {
    struct State {
        var items: [SecretServiceItem] = []
        var nextPath = 1
        var collectionLocked = false
        /// Items locked for this client until an unlock is granted (KeePassXC's confirmations).
        var itemsLocked = false
        /// What a prompt does: complete at once, or never be answered.
        var promptsComplete = true
        /// A search in a locked collection waits for a person, as KeePassXC's does with
        /// "unlock before search" on, instead of answering.
        var searchWaitsForUnlock = false
        /// How long the person at the desktop takes to unlock.
        var personMilliseconds = 10_000
        /// Failures for the next `search` calls, in order.
        var searchFailures: [SecretServiceFailure] = []
        /// Failures for the next `unlockCollection` calls, in order (the collection stays locked).
        var unlockFailures: [SecretServiceFailure] = []
        /// Failures for the next `create` calls, in order; each may first store the item
        /// with this secret (a store that happened although its answer said otherwise).
        var createFailures: [(SecretServiceFailure, storedSecret: String?)] = []
        var calls: [String] = []
        var promptWaits: [Int] = []
    }

    let state = Mutex(State())
    let provider: SecretServiceProvider

    init(provider: SecretServiceProvider = .keePassXC) {
        self.provider = provider
    }

    var items: [SecretServiceItem] { state.withLock { $0.items } }
    var calls: [String] { state.withLock { $0.calls } }

    func search(
        schema: String?, query: [String: String], loadSecrets: Bool, unlock: Bool, timeoutMilliseconds: Int,
        promptMilliseconds: Int
    ) -> Result<SecretServiceSearch, SecretServiceFailure> {
        state.withLock { state in
            state.calls.append(unlock ? "search+unlock" : "search")
            if !state.searchFailures.isEmpty { return .failure(state.searchFailures.removeFirst()) }
            if state.searchWaitsForUnlock && state.collectionLocked {
                state.promptWaits.append(timeoutMilliseconds)
                guard state.promptsComplete, timeoutMilliseconds >= state.personMilliseconds else {
                    return .failure(SecretServiceFailure(.timeout, "no answer"))
                }
                state.collectionLocked = false
            }
            if unlock && (state.collectionLocked || state.itemsLocked) {
                state.promptWaits.append(promptMilliseconds)
                guard state.promptsComplete else {
                    return .failure(SecretServiceFailure(.promptUnanswered, "nobody answered"))
                }
                state.collectionLocked = false
                state.itemsLocked = false
            }
            let matching = state.items.filter { item in query.allSatisfy { item.attributes[$0.key] == $0.value } }
            if state.collectionLocked {
                return .success(SecretServiceSearch(items: [], collectionLocked: true))
            }
            if state.itemsLocked {
                return .success(SecretServiceSearch(items: [], lockedCount: matching.count))
            }
            return .success(SecretServiceSearch(items: matching.map { item in
                var copy = item
                if !loadSecrets { copy.secret = nil }
                return copy
            }))
        }
    }

    func create(
        attributes: [String: String], label: String, secret: Secret, timeoutMilliseconds: Int, promptMilliseconds: Int
    ) -> Result<Void, SecretServiceFailure> {
        state.withLock { state in
            state.calls.append("create")
            if state.collectionLocked {
                return .failure(SecretServiceFailure(.locked, "Cannot create an item in a locked collection"))
            }
            if !state.createFailures.isEmpty {
                let (failure, stored) = state.createFailures.removeFirst()
                if let stored { Self.add(&state, attributes, Secret(stored)) }
                return .failure(failure)
            }
            Self.add(&state, attributes, secret)
            return .success(())
        }
    }

    private static func add(_ state: inout State, _ attributes: [String: String], _ secret: Secret) {
        state.items.append(SecretServiceItem(path: "/item/\(state.nextPath)", attributes: attributes, secret: secret))
        state.nextPath += 1
    }

    func delete(path: String, timeoutMilliseconds: Int, promptMilliseconds: Int) -> Result<Void, SecretServiceFailure> {
        state.withLock { state in
            state.calls.append("delete")
            guard state.items.contains(where: { $0.path == path }) else {
                return .failure(SecretServiceFailure(.noSuchObject, "No such object"))
            }
            state.items.removeAll { $0.path == path }
            return .success(())
        }
    }

    func collectionLocked(timeoutMilliseconds: Int) -> Result<Bool, SecretServiceFailure> {
        state.withLock { state in
            state.calls.append("locked?")
            return .success(state.collectionLocked)
        }
    }

    func unlockCollection(timeoutMilliseconds: Int, promptMilliseconds: Int) -> Result<Void, SecretServiceFailure> {
        state.withLock { state in
            state.calls.append("unlock")
            state.promptWaits.append(promptMilliseconds)
            if !state.unlockFailures.isEmpty { return .failure(state.unlockFailures.removeFirst()) }
            guard state.promptsComplete else {
                return .failure(SecretServiceFailure(.promptUnanswered, "nobody answered"))
            }
            state.collectionLocked = false
            return .success(())
        }
    }

    func provider(timeoutMilliseconds: Int) -> SecretServiceProvider { provider }
}
