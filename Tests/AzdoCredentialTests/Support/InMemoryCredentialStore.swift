import AzdoCredential
import Synchronization

/// A `CredentialStore` kept in memory, with sequential ids and an optional failure for every call.
final class InMemoryCredentialStore: CredentialStore {
    private struct State {
        var items: [StoredItem] = []
        var nextID = 1
        var failure: KeyringError?
    }

    private let state = Mutex(State())

    init() {}

    /// Every item in the store, in the order they were added.
    var items: [StoredItem] { state.withLock { $0.items } }

    /// When set, every call throws this error (e.g. `.locked`) and changes nothing.
    var failure: KeyringError? {
        get { state.withLock { $0.failure } }
        set { state.withLock { $0.failure = newValue } }
    }

    /// Adds `credential` directly, bypassing `failure`; returns its id.
    @discardableResult
    func seed(_ credential: StoredCredential) -> String {
        state.withLock { state in
            let id = "item-\(state.nextID)"
            state.nextID += 1
            state.items.append(StoredItem(id: id, credential: credential))
            return id
        }
    }

    func credentials(server: String, organization: String) throws(KeyringError) -> [StoredItem] {
        let (failure, items) = state.withLock { ($0.failure, $0.items) }
        if let failure { throw failure }
        return items.filter { $0.credential.server == server && $0.credential.organization == organization }
    }

    func add(_ credential: StoredCredential) throws(KeyringError) {
        if let failure { throw failure }
        seed(credential)
    }

    func remove(id: String) throws(KeyringError) {
        if let failure { throw failure }
        state.withLock { $0.items.removeAll { $0.id == id } }
    }
}
