public import AzdoAPI
public import AzdoCredential
public import AzdoSystem
import FoundationEssentials

/// Creates, extends, rescopes and revokes an organization's PAT through the API and keeps
/// the keyring in step, so `get` always hands git the PAT the API knows about.
///
/// Ordering rules that keep git working and leave nothing behind:
/// - create: journaled, with a nonce in the display name, and never sent twice blindly
///   (`PATCreation`); a PAT that cannot be stored is revoked again, so no orphan stays on
///   the server, and a crash before either is reconciled by the next `refresh`;
/// - update: the new metadata is stored before the old item is removed;
/// - revoke: the server revokes first; the keyring item goes only once the server agrees
///   (or says the PAT no longer exists).
public struct PATManager: Sendable {
    private let store: any CredentialStore
    private let journal: any RotationJournal
    private let clock: any WallClock
    private let server: String

    /// Creates a manager storing PATs for `server` (see `RemoteTarget.server`), journaling
    /// creates in `journal` (the one `refresh` reads).
    public init(
        store: any CredentialStore, journal: any RotationJournal, clock: any WallClock,
        server: String = RemoteTarget.azureDevOpsServer
    ) {
        self.store = store
        self.journal = journal
        self.clock = clock
        self.server = server
    }

    /// Creates a PAT valid for `days` (the service may clamp it) and stores it for git. Its
    /// display name is `displayName` plus ` ~NONCE`, which finds it again if the answer is lost.
    public func create(
        organization: String, client: PATClient, displayName: String, scopes: [String], days: Int, username: String
    ) async throws(PATManagerError) -> StoredCredential {
        let validTo = try expiry(days: days)
        guard !scopes.isEmpty else { throw .noScopes }
        let nonce = PATName.newNonce()
        let intent = RotationIntent(
            kind: .create, nonce: nonce, server: server, organization: organization, replacedAuthorizationID: nil,
            displayName: PATName.named(displayName, nonce: nonce, regenerated: false), startedAt: clock.now())
        let created: PATToken
        let secret: Secret
        do {
            (created, secret) = try await PATCreation(journal: journal).create(
                intent, scope: scopes.joined(separator: " "), validTo: validTo, client: client)
        } catch { throw .create(error) }
        let credential = StoredCredential(
            server: server, organization: organization, username: username, secret: secret,
            metadata: metadata(of: created, source: .created))
        do {
            try store.add(credential)
        } catch {
            // Revoked, the PAT is settled; otherwise the journal keeps it for `refresh` to revoke.
            if (try? await PATRotator.revoke(created.authorizationID, client: client)) != nil {
                try? journal.remove(nonce: nonce)
            }
            throw .keyring(error)
        }
        // A leftover intent is harmless: `refresh` finds the PAT stored and forgets it.
        try? journal.remove(nonce: nonce)
        return credential
    }

    /// Moves the stored PAT's expiry to `days` from now (same secret; clamped by policy).
    public func extend(organization: String, client: PATClient, days: Int) async throws(PATManagerError)
        -> StoredCredential
    {
        let validTo = try expiry(days: days)
        return try await update(organization: organization, client: client) { $0.validTo = validTo }
    }

    /// Replaces the stored PAT's scopes (same secret).
    public func rescope(organization: String, client: PATClient, scopes: [String]) async throws(PATManagerError)
        -> StoredCredential
    {
        guard !scopes.isEmpty else { throw .noScopes }
        return try await update(organization: organization, client: client) { $0.scope = scopes.joined(separator: " ") }
    }

    /// Revokes `authorizationID` (default: the stored PAT's) and removes it from the keyring.
    public func revoke(organization: String, client: PATClient, authorizationID: String? = nil)
        async throws(PATManagerError)
    {
        let items = try items(organization)
        guard let id = authorizationID ?? newestManaged(items)?.credential.metadata.authorizationID else {
            throw .noManagedPAT(organization: organization)
        }
        do { try await PATRotator.revoke(id, client: client) } catch { throw .api(error) }
        do {
            for item in items where item.credential.metadata.authorizationID == id { try store.remove(id: item.id) }
        } catch { throw .keyring(error) }
    }

    // MARK: - Helpers

    /// Applies `change` to the token as the service has it now (a fresh read, so every
    /// other field is sent back as it is) and stores the answer's metadata.
    private func update(
        organization: String, client: PATClient, change: (inout PATUpdateRequest) -> Void
    ) async throws(PATManagerError) -> StoredCredential {
        let items = try items(organization)
        guard let current = newestManaged(items), let id = current.credential.metadata.authorizationID else {
            throw .noManagedPAT(organization: organization)
        }
        let updated: PATToken
        do {
            var request = PATUpdateRequest(token: try await client.token(authorizationID: id))
            change(&request)
            updated = try await client.update(request)
        } catch { throw .api(error) }
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
    /// Creating the PAT failed; whatever the service made was revoked, or is in the journal.
    case create(PATCreationError)
    /// No PAT this tool created (one with an API id) is stored for the organization.
    case noManagedPAT(organization: String)
    /// `--days` outside 1…366.
    case invalidDays(Int)
    /// No scope given.
    case noScopes

    /// Whether the organization forbids creating PATs (see `PATClientError.forbidsPATCreation`).
    public var forbidsPATCreation: Bool {
        if case .create(let error) = self { return error.forbidsPATCreation }
        return false
    }

    /// One line: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .api(let error): return error.description
        case .keyring(let error): return error.description
        case .create(let error): return error.description
        case .noManagedPAT(let organization):
            return "no PAT created by git-credential-azdo is stored for \(organization); "
                + "run `git credential-azdo pat create --org \(organization)`, or pass --id"
        case .invalidDays(let days): return "--days \(days) is out of range; give 1 to 366"
        case .noScopes: return "no scope given; pass --scopes, e.g. --scopes vso.code_write"
        }
    }
}
