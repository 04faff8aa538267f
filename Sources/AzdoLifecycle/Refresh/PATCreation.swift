public import AzdoAPI
import AzdoCredential
import FoundationEssentials

/// Why a create did not give back a PAT. Whatever the service made along the way is
/// revoked, or, when even that could not be done, left in the journal for `refresh`.
public enum PATCreationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The journal could not be written, so nothing was sent.
    case journal(JournalError)
    /// The service refused the create, or reconciling an unanswered one failed (the
    /// journal keeps the attempt, and the next `refresh` finishes reconciling it).
    case api(PATClientError)
    /// `attempts` creates in a row got no usable answer (the last failure is `last`); the
    /// PATs they made were found by their nonce and revoked.
    case unanswered(last: PATClientError, attempts: Int)

    /// Whether the organization forbids creating PATs (see `PATClientError.forbidsPATCreation`).
    public var forbidsPATCreation: Bool {
        switch self {
        case .api(let error), .unanswered(let error, _): return error.forbidsPATCreation
        case .journal: return false
        }
    }

    /// One line: what failed and what to do.
    public var description: String {
        switch self {
        case .journal(let error): return error.description
        case .api(let error): return error.description
        case .unanswered(let last, let attempts):
            return "Azure DevOps gave no usable answer to \(attempts) PAT creates (last: \(last)); the PATs they "
                + "made were revoked and nothing was stored; try again later, or raise azdo.httpTimeout"
        }
    }
}

/// Creates a PAT so that a lost answer never leaves a PAT on the server that nobody holds,
/// nor a second one.
///
/// A create (POST) is not idempotent, so it is never sent again blindly. Each create is
/// written to the journal first, with a nonce that also goes into the display name. When an
/// answer is lost or says nothing certain (a time-out, a reset, a 5xx, a garbled body), the
/// organization's active PATs are listed and every one carrying the nonce is revoked:
/// the API hands out a PAT's secret only in the answer to its create, so a PAT whose
/// answer was lost can never be given to git. Only then is the create sent again. If
/// listing or revoking fails, the attempt stays in the journal and `PATRotator.recover`
/// finishes it on the next `refresh`.
struct PATCreation: Sendable {
    /// Creates sent before giving up on a service that never answers in time.
    static let attempts = 3

    let journal: any RotationJournal
    /// Hears `intentRecorded` (tests kill the process there).
    var observer: (any RotationObserver)? = nil

    /// Records `intent`, then creates the PAT it names; returns it with its secret. The
    /// intent stays in the journal; the caller forgets it once the PAT is stored.
    func create(_ intent: RotationIntent, scope: String, validTo: Date, client: PATClient)
        async throws(PATCreationError) -> (token: PATToken, secret: Secret)
    {
        do { try journal.record(intent) } catch { throw .journal(error) }
        observer?.reached(.intentRecorded)
        let request = PATCreateRequest(displayName: intent.displayName, scope: scope, validTo: validTo)
        var attempt = 1
        while true {
            let created: PATToken
            do { created = try await client.create(request) } catch {
                guard !Self.createdNothing(error) else {
                    try? journal.remove(nonce: intent.nonce)
                    throw .api(error)
                }
                let made: [String]
                do { made = try await Self.carrying(intent.nonce, client: client) } catch { throw .api(error) }
                try await revoke(made, client: client)
                if attempt == Self.attempts {
                    try? journal.remove(nonce: intent.nonce)
                    throw .unanswered(last: error, attempts: attempt)
                }
                attempt += 1
                continue
            }
            guard let secret = created.token else {
                try await revoke([created.authorizationID], client: client)
                try? journal.remove(nonce: intent.nonce)
                throw .api(.api(.malformedResponse(detail: "the created PAT came without its token")))
            }
            return (created, secret)
        }
    }

    /// The ids of the organization's active PATs whose display name carries `nonce`.
    static func carrying(_ nonce: String, client: PATClient) async throws(PATClientError) -> [String] {
        try await client.list(filter: "active").filter { PATName.nonce(of: $0.displayName) == nonce }
            .map(\.authorizationID)
    }

    /// Revokes `ids`. A failure keeps the intent in the journal, so `refresh` tries again.
    private func revoke(_ ids: [String], client: PATClient) async throws(PATCreationError) {
        do { try await PATRotator.revoke(ids, client: client) } catch { throw .api(error) }
    }

    /// Whether a failed create certainly created nothing (the service refused it).
    static func createdNothing(_ error: PATClientError) -> Bool {
        switch error {
        case .transport: return false
        case .api(.serverError), .api(.malformedResponse), .api(.unexpectedStatus): return false
        case .api(.notSignedIn), .api(.forbidden), .api(.throttled), .api(.tokenError): return true
        }
    }
}
