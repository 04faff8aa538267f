public import AzdoAPI
public import AzdoCredential
public import AzdoSystem
import FoundationEssentials

/// The steps of a rotation, in order; a `RotationObserver` hears each one (tests kill the
/// process there to prove every interruption is recovered).
public enum RotationStep: String, Sendable, CaseIterable {
    /// The intent is in the journal; nothing has changed on the server.
    case intentRecorded = "intent-recorded"
    /// The new PAT exists on the server but is not stored yet.
    case created
    /// The new PAT is in the keyring, next to the old one.
    case stored
    /// The old PAT's keyring item is gone.
    case replacedRemoved = "replaced-removed"
    /// The old PAT is revoked on the server.
    case revoked
    /// The journal no longer holds the rotation.
    case finished
}

/// Hears each step of a rotation as it completes.
public protocol RotationObserver: Sendable {
    /// Called right after `step` completed.
    func reached(_ step: RotationStep)
}

/// What a completed rotation produced.
public struct RotationResult: Sendable, Equatable {
    /// The new PAT as stored.
    public var credential: StoredCredential
    /// The lifespan asked for, in days.
    public var requestedDays: Int64
    /// Whether the organization's policy shortened it (the new PAT's `validTo` came back earlier).
    public var clampedByPolicy: Bool
    /// Whether the replaced PAT still awaits revocation (grace period, or revoking failed and
    /// the next run retries).
    public var revocationPending: Bool
}

/// What finishing an interrupted rotation did.
public enum RecoveryResult: Sendable, Equatable {
    /// The new PAT was stored: the old one is now removed and revoked.
    case completed
    /// The new PAT was stored; the old one is revoked once the grace period ends.
    case waitingForGracePeriod
    /// The new PAT never reached the keyring: the copies on the server (`revoked` of them)
    /// were revoked, the old PAT stays in use.
    case undone(revoked: Int)
    /// An interrupted `pat create` had stored its PAT: it stays, and only the journal entry goes.
    case createKept
    /// An interrupted `pat create` never stored its PAT: the copies on the server
    /// (`revoked` of them) were revoked.
    case createUndone(revoked: Int)
}

/// Why a rotation or recovery stopped. The PAT git uses is still stored and working.
public enum RotationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The journal could not be written, so nothing was started.
    case journal(JournalError)
    /// The API failed.
    case api(PATClientError)
    /// The keyring failed.
    case keyring(KeyringError)
    /// Creating the new PAT failed; whatever the service made was revoked, or is in the journal.
    case create(PATCreationError)

    /// Whether the organization forbids creating PATs, so no rotation can succeed.
    public var forbidsPATCreation: Bool {
        if case .create(let error) = self { return error.forbidsPATCreation }
        return false
    }

    /// One line: what failed.
    public var description: String {
        switch self {
        case .create(let error): return error.description
        case .journal(let error): return error.description
        case .api(let error): return error.description
        case .keyring(let error): return error.description
        }
    }
}

/// Regenerates a PAT the way the web UI's Regenerate does, without ever leaving git
/// without a working credential:
///
/// 1. record the intent (journal) — nothing happens on the server without it;
/// 2. create the new PAT: same organization, scopes and lifespan, the display name's stem
///    plus ` #NONCE` (which lets a later run find it); an unanswered create is reconciled,
///    never sent again blindly (`PATCreation`);
/// 3. store it next to the old one (a concurrent `get` now answers with the new one);
/// 4. remove the old item from the keyring;
/// 5. revoke the old PAT (at once, or after the grace period);
/// 6. forget the intent.
///
/// A crash between any two steps leaves an intent that `recover` completes (the new PAT
/// is stored) or undoes (it is not: its server copy is revoked, the old PAT stays).
public struct PATRotator: Sendable {
    private let store: any CredentialStore
    private let journal: any RotationJournal
    private let clock: any WallClock
    private let observer: (any RotationObserver)?
    private let revokeGraceSeconds: Int64

    /// The lifespan used when the old PAT's is unknown (it was typed at git's prompt).
    public static let defaultLifespanDays: Int64 = 90

    /// Creates a rotator.
    public init(
        store: any CredentialStore, journal: any RotationJournal, clock: any WallClock, revokeGraceSeconds: Int64 = 0,
        observer: (any RotationObserver)? = nil
    ) {
        self.store = store
        self.journal = journal
        self.clock = clock
        self.revokeGraceSeconds = revokeGraceSeconds
        self.observer = observer
    }

    /// Replaces `current` with a new PAT through `client`.
    public func rotate(_ current: StoredCredential, client: PATClient) async throws(RotationError) -> RotationResult {
        let now = clock.now()
        let nonce = PATName.newNonce()
        let lifespan = Self.lifespanDays(of: current.metadata)
        let requestedValidTo = now + lifespan * 86_400
        var intent = RotationIntent(
            nonce: nonce, server: current.server, organization: current.organization,
            replacedAuthorizationID: current.metadata.authorizationID,
            displayName: PATName.named(PATName.stem(current.metadata.displayName), nonce: nonce, regenerated: true),
            startedAt: now)
        let created: PATToken
        let secret: Secret
        do {
            (created, secret) = try await PATCreation(journal: journal, observer: observer).create(
                intent, scope: current.metadata.scope ?? "vso.code_write",
                validTo: Date(timeIntervalSince1970: TimeInterval(requestedValidTo)), client: client)
        } catch { throw .create(error) }
        observer?.reached(.created)

        let credential = StoredCredential(
            server: current.server, organization: current.organization, username: current.username, secret: secret,
            metadata: created.metadata(source: .created, storedAt: clock.now()))
        do { try store.add(credential) } catch {
            try? await undo(intent, revoking: [created.authorizationID], client: client)
            throw .keyring(error)
        }
        observer?.reached(.stored)

        do { try removeReplaced(intent, keeping: credential) } catch { throw .keyring(error) }
        observer?.reached(.replacedRemoved)

        let pending = try await finish(&intent, client: client)
        return RotationResult(
            credential: credential, requestedDays: lifespan,
            clampedByPolicy: credential.metadata.validTo.map { $0 < requestedValidTo - 86_400 } ?? false,
            revocationPending: pending)
    }

    /// Completes or undoes an interrupted rotation or create (see the type's description).
    /// Every PAT carrying the intent's nonce that is not the stored one is revoked: its
    /// secret was never received, so git can never use it.
    public func recover(_ intent: RotationIntent, client: PATClient) async throws(RotationError) -> RecoveryResult {
        let made: [String]
        do { made = try await PATCreation.carrying(intent.nonce, client: client) } catch { throw .api(error) }
        let stored: [StoredItem]
        do { stored = try store.credentials(server: intent.server, organization: intent.organization) } catch {
            throw .keyring(error)
        }
        guard let new = stored.first(where: { $0.credential.metadata.authorizationID.map(made.contains) ?? false }) else {
            try await undo(intent, revoking: made, client: client)
            return intent.kind == .create ? .createUndone(revoked: made.count) : .undone(revoked: made.count)
        }
        let extra = made.filter { $0 != new.credential.metadata.authorizationID }
        do { try await Self.revoke(extra, client: client) } catch { throw .api(error) }
        if intent.kind == .create {
            do { try journal.remove(nonce: intent.nonce) } catch { throw .journal(error) }
            return .createKept
        }
        do { try removeReplaced(intent, keeping: new.credential) } catch { throw .keyring(error) }
        var intent = intent
        return try await finish(&intent, client: client) ? .waitingForGracePeriod : .completed
    }

    // MARK: - Steps

    /// Revokes the replaced PAT when due and forgets the intent; true while revocation is
    /// still pending (grace period, or a failure the next run retries).
    private func finish(_ intent: inout RotationIntent, client: PATClient) async throws(RotationError) -> Bool {
        if intent.revokeAt == nil {
            intent.revokeAt = clock.now() + revokeGraceSeconds
            if revokeGraceSeconds > 0 {
                do { try journal.record(intent) } catch { throw .journal(error) }
            }
        }
        if let id = intent.replacedAuthorizationID {
            guard let revokeAt = intent.revokeAt, revokeAt <= clock.now() else { return true }
            do { try await Self.revoke(id, client: client) } catch {
                try? journal.record(intent)
                return true
            }
            observer?.reached(.revoked)
        }
        do { try journal.remove(nonce: intent.nonce) } catch { throw .journal(error) }
        observer?.reached(.finished)
        return false
    }

    /// Removes from the keyring what the rotation replaced: the item with the old API id,
    /// or for a PAT without one, every such item stored before the new PAT.
    private func removeReplaced(_ intent: RotationIntent, keeping new: StoredCredential) throws(KeyringError) {
        let stale = try store.credentials(server: intent.server, organization: intent.organization).filter { item in
            let metadata = item.credential.metadata
            if let replaced = intent.replacedAuthorizationID { return metadata.authorizationID == replaced }
            return metadata.authorizationID == nil && metadata.storedAt <= new.metadata.storedAt
        }
        for item in stale where item.credential != new { try store.remove(id: item.id) }
    }

    /// Revokes the server copies of a rotation that did not reach the keyring, then forgets it.
    private func undo(_ intent: RotationIntent, revoking ids: [String], client: PATClient) async throws(RotationError) {
        do { try await Self.revoke(ids, client: client) } catch { throw .api(error) }
        do { try journal.remove(nonce: intent.nonce) } catch { throw .journal(error) }
    }

    /// Revokes each of `ids` in turn (see `revoke(_:client:)`), stopping at the first failure.
    static func revoke(_ ids: [String], client: PATClient) async throws(PATClientError) {
        for id in ids { try await revoke(id, client: client) }
    }

    /// Revokes `id`; a PAT the server no longer knows counts as revoked.
    static func revoke(_ id: String, client: PATClient) async throws(PATClientError) {
        do {
            try await client.revoke(authorizationID: id)
        } catch {
            guard case .api(.tokenError(let code, _)) = error,
                ["authorizationNotFound", "tokenNotFound", "invalidAuthorizationId"].contains(code.rawValue)
            else { throw error }
        }
    }

    // MARK: - Rules

    /// The old PAT's lifespan in whole days (1…366), or the default when unknown.
    static func lifespanDays(of metadata: PATMetadata) -> Int64 {
        guard let from = metadata.validFrom, let to = metadata.validTo, to > from else { return defaultLifespanDays }
        return min(max((to - from + 43_200) / 86_400, 1), 366)
    }
}
