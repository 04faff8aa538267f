import AzdoCredential
internal import CAzdoSecret

#if canImport(Glibc)
import Glibc
#endif

/// PATs in the freedesktop Secret Service (gnome-keyring, KeePassXC, KWallet), one item
/// per organization and account. Non-secret facts are item attributes; the PAT is the
/// item's secret and nothing else.
///
/// Every call has a timeout and none shows a prompt: a locked keyring, a missing service
/// or bus, and a hung service each surface as their own `KeyringError`.
public struct SecretServiceStore: CredentialStore {
    /// The environment variable that overrides the timeout of each keyring call.
    public static let timeoutVariable = "GIT_CREDENTIAL_AZDO_KEYRING_TIMEOUT_MS"
    /// The timeout of each keyring call unless overridden.
    public static let defaultTimeoutMilliseconds = 5_000

    private let timeoutMilliseconds: Int

    /// Creates a store whose calls give up after `timeoutMilliseconds`.
    public init(timeoutMilliseconds: Int) {
        self.timeoutMilliseconds = max(1, timeoutMilliseconds)
    }

    /// A store with the timeout from the environment, or the default.
    public static func fromEnvironment() -> SecretServiceStore {
        let value = Environment.value(timeoutVariable).flatMap { Int($0) }
        return SecretServiceStore(timeoutMilliseconds: value ?? defaultTimeoutMilliseconds)
    }

    /// Every unlocked item for `organization` on `server`, secrets loaded; `.locked` when
    /// the keyring is locked rather than an empty answer.
    public func credentials(server: String, organization: String) throws(KeyringError) -> [StoredItem] {
        try items([KeyringAttributes.kind: KeyringAttributes.patKind, KeyringAttributes.server: server,
                   KeyringAttributes.organization: organization])
    }

    /// Every unlocked item on `server`, whatever its organization.
    public func credentials(server: String) throws(KeyringError) -> [StoredItem] {
        try items([KeyringAttributes.kind: KeyringAttributes.patKind, KeyringAttributes.server: server])
    }

    /// Every unlocked item of this tool's PAT kind, on any server.
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
            label: "Azure DevOps PAT for \(credential.organization) (\(credential.username))", secret: credential.secret)
    }

    /// Stores one item with exactly `attributes` (plus the schema).
    func storeItem(_ attributes: [String: String], label: String, secret: Secret) throws(KeyringError) {
        let status = withCAttributes(attributes) { pointer, count in
            withError { error in
                CAzdoSecret_store(pointer, count, label, secret.value, Int32(timeoutMilliseconds), &error)
            }
        }
        try check(status)
    }

    /// Deletes the item at D-Bus path `id`; an item that no longer exists counts as deleted.
    public func remove(id: String) throws(KeyringError) {
        let status = withError { error in CAzdoSecret_delete(id, Int32(timeoutMilliseconds), &error) }
        if case .failure(let failure) = status, failure.isMissingObject { return }
        try check(status)
    }

    // MARK: - The one funnel from C statuses to KeyringError

    private struct Failure: Error {
        var status: CAzdoSecretStatus
        var message: String

        var isMissingObject: Bool {
            status == CAZDO_SECRET_FAILED && (message.contains("No such") || message.contains("does not exist"))
        }
    }

    /// Unlocked items matching `query`. A lookup in a locked keyring looks like "nothing
    /// found", so an empty answer is checked against the items reported locked and the
    /// default collection's lock state, and becomes `.locked` when either says so.
    func lockAwareSearch(_ query: [String: String], loadSecrets: Bool = true) throws(KeyringError) -> [FoundItem] {
        let (items, lockedCount) = try search(query, loadSecrets: loadSecrets)
        if items.isEmpty {
            if lockedCount > 0 { throw .locked }
            if try defaultCollectionIsLocked() { throw .locked }
        }
        return items
    }

    /// Every unlocked item another program stored under `schema` (its `xdg:schema`), with
    /// its attributes and secret; for importing, never for changing them.
    public func foreignItems(schema: String) throws(KeyringError) -> [ForeignItem] {
        let (items, locked) = try search([:], loadSecrets: true, schema: schema)
        if items.isEmpty && locked > 0 { throw .locked }
        return items.compactMap { item in item.secret.map { ForeignItem(attributes: item.attributes, secret: $0) } }
    }

    struct FoundItem {
        var path: String
        var attributes: [String: String]
        var secret: Secret?
    }

    private func check(_ result: Result<Void, Failure>) throws(KeyringError) {
        guard case .failure(let failure) = result else { return }
        throw keyringError(failure)
    }

    private func keyringError(_ failure: Failure) -> KeyringError {
        switch failure.status {
        case CAZDO_SECRET_NO_BUS: return .noSessionBus(detail: failure.message)
        case CAZDO_SECRET_NO_SERVICE: return .noSecretService(detail: failure.message)
        case CAZDO_SECRET_LOCKED: return .locked
        case CAZDO_SECRET_TIMEOUT: return .timedOut(milliseconds: timeoutMilliseconds)
        case CAZDO_SECRET_NO_COLLECTION: return .noDefaultCollection
        case CAZDO_SECRET_PROMPT_REQUIRED: return .promptRequired
        case CAZDO_SECRET_NO_LIBRARY: return .libraryMissing(detail: failure.message)
        case CAZDO_SECRET_SERVICE_STOPPED: return .serviceStopped(detail: failure.message)
        default: return .failed(detail: failure.message)
        }
    }

    private func withError(_ body: (inout CAzdoSecretError) -> CAzdoSecretStatus) -> Result<Void, Failure> {
        var error = CAzdoSecretError(status: CAZDO_SECRET_OK, message: nil)
        defer { CAzdoSecret_error_clear(&error) }
        let status = body(&error)
        guard status != CAZDO_SECRET_OK else { return .success(()) }
        return .failure(Failure(status: status, message: error.message.map { String(cString: $0) } ?? "unknown error"))
    }

    private func search(_ query: [String: String], loadSecrets: Bool, schema: String? = nil) throws(KeyringError)
        -> (items: [FoundItem], lockedCount: Int)
    {
        var items: UnsafeMutablePointer<CAzdoSecretItem>? = nil
        var count = 0
        var locked = 0
        defer { CAzdoSecret_items_free(items, count) }
        let status = withCAttributes(query) { pointer, queryCount in
            withError { error in
                if let schema {
                    return CAzdoSecret_search_schema(
                        schema, pointer, queryCount, loadSecrets ? 1 : 0, Int32(timeoutMilliseconds), &items, &count,
                        &locked, &error)
                }
                return CAzdoSecret_search(
                    pointer, queryCount, loadSecrets ? 1 : 0, Int32(timeoutMilliseconds), &items, &count, &locked, &error)
            }
        }
        try check(status)
        let found = UnsafeBufferPointer(start: items, count: count).map { item in
            var attributes: [String: String] = [:]
            for attribute in UnsafeBufferPointer(start: item.attributes, count: item.attribute_count) {
                attributes[String(cString: attribute.name)] = String(cString: attribute.value)
            }
            let secret = item.secret.map { bytes in
                Secret(String(decoding: UnsafeBufferPointer(start: bytes, count: item.secret_length), as: UTF8.self))
            }
            return FoundItem(path: String(cString: item.path), attributes: attributes, secret: secret)
        }
        return (found, locked)
    }

    private func defaultCollectionIsLocked() throws(KeyringError) -> Bool {
        var locked: Int32 = 0
        let status = withError { error in
            CAzdoSecret_default_collection_locked(Int32(timeoutMilliseconds), &locked, &error)
        }
        if case .failure(let failure) = status, failure.status == CAZDO_SECRET_NO_COLLECTION { return false }
        try check(status)
        return locked != 0
    }

    /// Lends `attributes` to C as an array of borrowed C strings, valid during `body`.
    private func withCAttributes<R>(
        _ attributes: [String: String], _ body: (UnsafePointer<CAzdoSecretAttribute>, Int) -> R
    ) -> R {
        let names = attributes.keys.sorted()
        let strings = names.flatMap { [strdup($0), strdup(attributes[$0] ?? "")] }
        defer { strings.forEach { free($0) } }
        var pairs: [CAzdoSecretAttribute] = []
        for index in stride(from: 0, to: strings.count, by: 2) {
            if let name = strings[index], let value = strings[index + 1] {
                pairs.append(CAzdoSecretAttribute(name: name, value: value))
            }
        }
        return pairs.withUnsafeBufferPointer { buffer in
            body(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, buffer.count)
        }
    }
}
