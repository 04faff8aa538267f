public import AzdoCredential

/// A failure of one Secret Service call, as the C shim reports it.
public struct SecretServiceFailure: Error, Sendable, Equatable {
    /// What went wrong.
    public enum Status: Sendable, Equatable {
        /// No session bus.
        case noBus
        /// Nothing owns `org.freedesktop.secrets`.
        case noService
        /// The collection is locked.
        case locked
        /// The service did not answer in time.
        case timeout
        /// There is no default collection.
        case noCollection
        /// The service, or a person, dismissed a prompt.
        case promptDismissed
        /// Nobody completed a prompt in time; it was dismissed.
        case promptUnanswered
        /// libsecret could not be loaded.
        case noLibrary
        /// The service left the bus before answering.
        case serviceStopped
        /// The object does not exist.
        case noSuchObject
        /// Anything else; the message says what.
        case failed
    }

    /// What went wrong.
    public var status: Status
    /// What the service, GLib or the shim said.
    public var message: String

    /// Creates a failure.
    public init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// One item a search found.
public struct SecretServiceItem: Sendable, Equatable {
    /// Its D-Bus object path.
    public var path: String
    /// Its attributes.
    public var attributes: [String: String]
    /// Its secret, when loaded.
    public var secret: Secret?

    /// Creates an item.
    public init(path: String, attributes: [String: String], secret: Secret?) {
        self.path = path
        self.attributes = attributes
        self.secret = secret
    }
}

/// What a search found.
public struct SecretServiceSearch: Sendable, Equatable {
    /// The unlocked matches.
    public var items: [SecretServiceItem]
    /// How many matches are locked.
    public var lockedCount: Int
    /// When nothing unlocked matched: whether the default collection is locked.
    public var collectionLocked: Bool

    /// Creates a result.
    public init(items: [SecretServiceItem], lockedCount: Int = 0, collectionLocked: Bool = false) {
        self.items = items
        self.lockedCount = lockedCount
        self.collectionLocked = collectionLocked
    }

    /// Whether only locked things matched, so an unlock could find more.
    public var foundOnlyLocked: Bool { items.isEmpty && (lockedCount > 0 || collectionLocked) }
}

/// The Secret Service calls `SecretServiceStore` makes: the seam between its rules (unlock,
/// store without losing anything, name the service in messages) and the C shim. Every call
/// is bounded by `timeoutMilliseconds`; one that may meet a prompt lets it wait
/// `promptMilliseconds` more for a person (0: dismissed without being shown).
public protocol SecretServiceCalls: Sendable {
    /// Items of `schema` (this tool's own when `nil`) whose attributes equal `query`;
    /// with `unlock`, what only locked items or a locked collection hid is unlocked first.
    func search(
        schema: String?, query: [String: String], loadSecrets: Bool, unlock: Bool, timeoutMilliseconds: Int,
        promptMilliseconds: Int
    ) -> Result<SecretServiceSearch, SecretServiceFailure>

    /// A new item of this tool's schema in the default collection; never replaces one.
    func create(
        attributes: [String: String], label: String, secret: Secret, timeoutMilliseconds: Int, promptMilliseconds: Int
    ) -> Result<Void, SecretServiceFailure>

    /// Deletes the item at `path`.
    func delete(path: String, timeoutMilliseconds: Int, promptMilliseconds: Int) -> Result<Void, SecretServiceFailure>

    /// Whether the default collection is locked (false when there is none).
    func collectionLocked(timeoutMilliseconds: Int) -> Result<Bool, SecretServiceFailure>

    /// Unlocks the default collection.
    func unlockCollection(timeoutMilliseconds: Int, promptMilliseconds: Int) -> Result<Void, SecretServiceFailure>

    /// Which program provides the Secret Service.
    func provider(timeoutMilliseconds: Int) -> SecretServiceProvider
}
