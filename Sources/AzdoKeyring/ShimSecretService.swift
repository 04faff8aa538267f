public import AzdoCredential
internal import CAzdoSecret

#if canImport(Glibc)
import Glibc
#endif

/// The Secret Service through the C shim: lookups over its own D-Bus client, everything
/// else through libsecret (see `CAzdoSecret.h`).
public struct ShimSecretService: SecretServiceCalls {
    private let lookupsThroughLibsecret: Bool

    /// Creates the shim's calls; with `lookupsThroughLibsecret`, searches take the path the
    /// fast client falls back to (for tests of that path).
    public init(lookupsThroughLibsecret: Bool = false) {
        self.lookupsThroughLibsecret = lookupsThroughLibsecret
    }

    public func search(
        schema: String?, query: [String: String], loadSecrets: Bool, unlock: Bool, timeoutMilliseconds: Int,
        promptMilliseconds: Int
    ) -> Result<SecretServiceSearch, SecretServiceFailure> {
        var items: UnsafeMutablePointer<CAzdoSecretItem>? = nil
        var count = 0
        var locked = 0
        var collectionLocked: Int32 = 0
        defer { CAzdoSecret_items_free(items, count) }
        let flags = (loadSecrets ? CAZDO_SECRET_LOAD : 0) | (unlock ? CAZDO_SECRET_UNLOCK : 0)
            | (lookupsThroughLibsecret ? CAZDO_SECRET_VIA_LIBSECRET : 0)
        let status = Self.withCAttributes(query) { pointer, queryCount in
            Self.withError { error in
                CAzdoSecret_search(
                    schema, pointer, queryCount, Int32(flags), Int32(clamping: timeoutMilliseconds),
                    Int32(clamping: promptMilliseconds), &items, &count, &locked, &collectionLocked, &error)
            }
        }
        return status.map { _ in
            let found = UnsafeBufferPointer(start: items, count: count).map { item in
                var attributes: [String: String] = [:]
                for attribute in UnsafeBufferPointer(start: item.attributes, count: item.attribute_count) {
                    attributes[String(cString: attribute.name)] = String(cString: attribute.value)
                }
                let secret = item.secret.map { bytes in
                    Secret(String(decoding: UnsafeBufferPointer(start: bytes, count: item.secret_length), as: UTF8.self))
                }
                return SecretServiceItem(path: String(cString: item.path), attributes: attributes, secret: secret)
            }
            return SecretServiceSearch(items: found, lockedCount: locked, collectionLocked: collectionLocked != 0)
        }
    }

    public func create(
        attributes: [String: String], label: String, secret: Secret, timeoutMilliseconds: Int, promptMilliseconds: Int
    ) -> Result<Void, SecretServiceFailure> {
        Self.withCAttributes(attributes) { pointer, count in
            Self.withError { error in
                CAzdoSecret_store(
                    pointer, count, label, secret.value, Int32(clamping: timeoutMilliseconds),
                    Int32(clamping: promptMilliseconds), &error)
            }
        }
    }

    public func delete(path: String, timeoutMilliseconds: Int, promptMilliseconds: Int) -> Result<Void, SecretServiceFailure> {
        Self.withError { error in
            CAzdoSecret_delete(path, Int32(clamping: timeoutMilliseconds), Int32(clamping: promptMilliseconds), &error)
        }
    }

    public func collectionLocked(timeoutMilliseconds: Int) -> Result<Bool, SecretServiceFailure> {
        var locked: Int32 = 0
        return Self.withError { error in
            CAzdoSecret_collection_locked(Int32(clamping: timeoutMilliseconds), &locked, &error)
        }.map { locked != 0 }
    }

    public func unlockCollection(timeoutMilliseconds: Int, promptMilliseconds: Int) -> Result<Void, SecretServiceFailure> {
        Self.withError { error in
            CAzdoSecret_unlock(Int32(clamping: timeoutMilliseconds), Int32(clamping: promptMilliseconds), &error)
        }
    }

    public func provider(timeoutMilliseconds: Int) -> SecretServiceProvider {
        switch CAzdoSecret_provider(Int32(clamping: timeoutMilliseconds)) {
        case CAZDO_SECRET_PROVIDER_GNOME_KEYRING: return .gnomeKeyring
        case CAZDO_SECRET_PROVIDER_KEEPASSXC: return .keePassXC
        case CAZDO_SECRET_PROVIDER_KWALLET: return .kWallet
        default: return .unknown
        }
    }

    // MARK: - The one funnel from C statuses to SecretServiceFailure

    private static func withError(_ body: (inout CAzdoSecretError) -> CAzdoSecretStatus) -> Result<Void, SecretServiceFailure> {
        var error = CAzdoSecretError(status: CAZDO_SECRET_OK, message: nil)
        defer { CAzdoSecret_error_clear(&error) }
        let status = body(&error)
        guard status != CAZDO_SECRET_OK else { return .success(()) }
        let message = error.message.map { String(cString: $0) } ?? "unknown error"
        return .failure(SecretServiceFailure(failureStatus(status), message))
    }

    private static func failureStatus(_ status: CAzdoSecretStatus) -> SecretServiceFailure.Status {
        switch status {
        case CAZDO_SECRET_NO_BUS: return .noBus
        case CAZDO_SECRET_NO_SERVICE: return .noService
        case CAZDO_SECRET_LOCKED: return .locked
        case CAZDO_SECRET_TIMEOUT: return .timeout
        case CAZDO_SECRET_NO_COLLECTION: return .noCollection
        case CAZDO_SECRET_PROMPT_DISMISSED: return .promptDismissed
        case CAZDO_SECRET_PROMPT_UNANSWERED: return .promptUnanswered
        case CAZDO_SECRET_NO_LIBRARY: return .noLibrary
        case CAZDO_SECRET_SERVICE_STOPPED: return .serviceStopped
        case CAZDO_SECRET_NO_SUCH_OBJECT: return .noSuchObject
        default: return .failed
        }
    }

    /// Lends `attributes` to C as an array of borrowed C strings, valid during `body`; an
    /// allocation that fails fails the call (a query missing an attribute would match more).
    private static func withCAttributes<Success>(
        _ attributes: [String: String],
        _ body: (UnsafePointer<CAzdoSecretAttribute>, Int) -> Result<Success, SecretServiceFailure>
    ) -> Result<Success, SecretServiceFailure> {
        let names = attributes.keys.sorted()
        let strings = names.flatMap { [strdup($0), strdup(attributes[$0] ?? "")] }
        defer { for string in strings { free(string) } }
        var pairs: [CAzdoSecretAttribute] = []
        for index in stride(from: 0, to: strings.count, by: 2) {
            guard let name = strings[index], let value = strings[index + 1] else {
                return .failure(SecretServiceFailure(.failed, "out of memory"))
            }
            pairs.append(CAzdoSecretAttribute(name: name, value: value))
        }
        return pairs.withUnsafeBufferPointer { buffer in
            body(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, buffer.count)
        }
    }
}
