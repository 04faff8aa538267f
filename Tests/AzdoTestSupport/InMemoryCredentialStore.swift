public import AzdoCredential
import Synchronization

/// A `CredentialStore` kept in memory, with sequential ids and an optional failure for every call.
public final class InMemoryCredentialStore: CredentialStore {
    private struct State {
        public var items: [StoredItem] = []
        var nextID = 1
        public var failure: KeyringError?
    }

    private let state = Mutex(State())

    /// An empty store.
    public init() {}

    /// Every item in the store, in the order they were added.
    public var items: [StoredItem] { state.withLock { $0.items } }

    /// When set, every call throws this error (e.g. `.locked`) and changes nothing.
    public var failure: KeyringError? {
        get { state.withLock { $0.failure } }
        set { state.withLock { $0.failure = newValue } }
    }

    /// Adds `credential` directly, bypassing `failure`; returns its id.
    @discardableResult
    public func seed(_ credential: StoredCredential) -> String {
        state.withLock { state in
            let id = "item-\(state.nextID)"
            state.nextID += 1
            state.items.append(StoredItem(id: id, credential: credential))
            return id
        }
    }

    /// The items for `organization` on `server`, unless `failure` is set.
    public func credentials(server: String, organization: String) throws(KeyringError) -> [StoredItem] {
        let (failure, items) = state.withLock { ($0.failure, $0.items) }
        if let failure { throw failure }
        return items.filter { $0.credential.server == server && $0.credential.organization == organization }
    }

    /// The items on `server`, unless `failure` is set.
    public func credentials(server: String) throws(KeyringError) -> [StoredItem] {
        let (failure, items) = state.withLock { ($0.failure, $0.items) }
        if let failure { throw failure }
        return items.filter { $0.credential.server == server }
    }

    /// Every item, unless `failure` is set.
    public func allCredentials() throws(KeyringError) -> [StoredItem] {
        let (failure, items) = state.withLock { ($0.failure, $0.items) }
        if let failure { throw failure }
        return items
    }

    /// Adds `credential`, unless `failure` is set.
    public func add(_ credential: StoredCredential) throws(KeyringError) {
        if let failure { throw failure }
        seed(credential)
    }

    /// Removes the item `id`, unless `failure` is set.
    public func remove(id: String) throws(KeyringError) {
        if let failure { throw failure }
        state.withLock { $0.items.removeAll { $0.id == id } }
    }
}
