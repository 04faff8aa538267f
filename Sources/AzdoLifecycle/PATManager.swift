public import AzdoCredential
import FoundationEssentials

/// Creates, extends, rescopes and revokes an organization's PAT through the API and keeps
/// the keyring in step, so `get` always hands git the PAT the API knows about.
///
/// Ordering rules that keep git working and leave nothing behind:
/// - create: a PAT that cannot be stored is revoked again, so no orphan stays on the server;
/// - update: the new metadata is stored before the old item is removed;
/// - revoke: the server revokes first; the keyring item goes only once the server agrees
///   (or says the PAT no longer exists).
public struct PATManager: Sendable {
    private let store: any CredentialStore
    private let clock: any WallClock
    private let server: String

    /// Creates a manager storing PATs for `server` (see `RemoteTarget.server`).
    public init(store: any CredentialStore, clock: any WallClock, server: String = RemoteTarget.azureDevOpsServer) {
        self.store = store
        self.clock = clock
        self.server = server
    }

    /// Creates a PAT valid for `days` (the service may clamp it) and stores it for git.
    public func create(
        organization: String, client: PATClient, displayName: String, scopes: [String], days: Int, username: String
    ) async throws(PATManagerError) -> StoredCredential {
        let validTo = try expiry(days: days)
        guard !scopes.isEmpty else { throw .noScopes }
        let created: PATToken
        do {
            created = try await client.create(PATCreateRequest(
                displayName: displayName, scope: scopes.joined(separator: " "), validTo: validTo))
        } catch { throw .api(error) }
        guard let secret = created.token else {
            try? await client.revoke(authorizationID: created.authorizationID)
            throw .api(.api(.malformedResponse(detail: "the created PAT came without its token")))
        }
        let credential = StoredCredential(
            server: server, organization: organization, username: username, secret: secret,
            metadata: metadata(of: created, source: .created))
        do {
            try store.add(credential)
        } catch {
            try? await client.revoke(authorizationID: created.authorizationID)
            throw .keyring(error)
        }
        return credential
    }

    /// Moves the stored PAT's expiry to `days` from now (same secret; clamped by policy).
    public func extend(organization: String, client: PATClient, days: Int) async throws(PATManagerError)
        -> StoredCredential
    {
        let validTo = try expiry(days: days)
        return try await update(organization: organization, client: client) { id in
            PATUpdateRequest(authorizationID: id, validTo: validTo)
        }
    }

    /// Replaces the stored PAT's scopes (same secret).
    public func rescope(organization: String, client: PATClient, scopes: [String]) async throws(PATManagerError)
        -> StoredCredential
    {
        guard !scopes.isEmpty else { throw .noScopes }
        return try await update(organization: organization, client: client) { id in
            PATUpdateRequest(authorizationID: id, scope: scopes.joined(separator: " "))
        }
    }

    /// Revokes `authorizationID` (default: the stored PAT's) and removes it from the keyring.
    public func revoke(organization: String, client: PATClient, authorizationID: String? = nil)
        async throws(PATManagerError)
    {
        let items = try items(organization)
        guard let id = authorizationID ?? newestManaged(items)?.credential.metadata.authorizationID else {
            throw .noManagedPAT(organization: organization)
        }
        do {
            try await client.revoke(authorizationID: id)
        } catch {
            guard case .api(.tokenError(let code, _)) = error,
                ["authorizationNotFound", "tokenNotFound", "invalidAuthorizationId"].contains(code.rawValue)
            else { throw .api(error) }
        }
        do {
            for item in items where item.credential.metadata.authorizationID == id { try store.remove(id: item.id) }
        } catch { throw .keyring(error) }
    }

    // MARK: - Helpers

    private func update(organization: String, client: PATClient, request: (String) -> PATUpdateRequest)
        async throws(PATManagerError) -> StoredCredential
    {
        let items = try items(organization)
        guard let current = newestManaged(items), let id = current.credential.metadata.authorizationID else {
            throw .noManagedPAT(organization: organization)
        }
        let updated: PATToken
        do { updated = try await client.update(request(id)) } catch { throw .api(error) }
        var credential = current.credential
        credential.metadata = metadata(of: updated, source: current.credential.metadata.source)
        do {
            try store.replace(with: credential) { $0.metadata.authorizationID == id }
        } catch { throw .keyring(error) }
        return credential
    }

    /// `days` from now, for a PAT's requested expiry; 1 to 366 days.
    private func expiry(days: Int) throws(PATManagerError) -> Date {
        guard (1...366).contains(days) else { throw .invalidDays(days) }
        return Date(timeIntervalSince1970: TimeInterval(clock.now() + Int64(days) * 86_400))
    }

    /// The organization's stored PATs on this manager's server.
    func items(_ organization: String) throws(PATManagerError) -> [StoredItem] {
        do { return try store.credentials(server: server, organization: organization) } catch { throw .keyring(error) }
    }

    private func newestManaged(_ items: [StoredItem]) -> StoredItem? {
        items.filter { $0.credential.metadata.authorizationID != nil }
            .max { $0.credential.metadata.storedAt < $1.credential.metadata.storedAt }
    }

    private func metadata(of token: PATToken, source: CredentialSource) -> PATMetadata {
        token.metadata(source: source, storedAt: clock.now())
    }
}

/// Why a PAT command did not complete. None of them leaves a broken keyring behind.
public enum PATManagerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The API call failed.
    case api(PATClientError)
    /// The keyring failed.
    case keyring(KeyringError)
    /// No PAT this tool created (one with an API id) is stored for the organization.
    case noManagedPAT(organization: String)
    /// `--days` outside 1…366.
    case invalidDays(Int)
    /// No scope given.
    case noScopes

    /// One line: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .api(let error): return error.description
        case .keyring(let error): return error.description
        case .noManagedPAT(let organization):
            return "no PAT created by git-credential-azdo is stored for \(organization); "
                + "run `git credential-azdo pat create --org \(organization)`, or pass --id"
        case .invalidDays(let days): return "--days \(days) is out of range; give 1 to 366"
        case .noScopes: return "no scope given; pass --scopes, e.g. --scopes vso.code_write"
        }
    }
}
