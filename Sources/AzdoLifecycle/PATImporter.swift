public import AzdoCredential
public import AzdoHTTP
public import AzdoSystem
import FoundationEssentials

/// Stores a PAT someone made in the web UI, after Azure DevOps confirms it works for the
/// organization (`GET {server}/{org}/_apis/connectionData` with it as the Basic password).
/// Nothing is stored unless the check passes.
public struct PATImporter: Sendable {
    private let store: any CredentialStore
    private let transport: any HTTPTransport
    private let clock: any WallClock
    private let server: String

    /// Creates an importer that checks against and stores under `server`.
    public init(store: any CredentialStore, transport: any HTTPTransport, clock: any WallClock, server: String) {
        self.store = store
        self.transport = transport
        self.clock = clock
        self.server = server
    }

    /// Checks `secret` against `organization` and stores it, replacing any PAT for the
    /// organization that this tool did not create (typed or imported before); `validTo` is
    /// the expiry the web UI showed, when known. Returns false when it was already stored.
    public func importPAT(_ secret: Secret, organization: String, validTo: Int64?) async throws(PATImportError)
        -> Bool
    {
        guard secret.value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .malformed }
        if let validTo, validTo <= clock.now() {
            throw .expiryInPast(CivilDate.string(fromUnixSeconds: validTo))
        }
        let existing: [StoredItem]
        do { existing = try store.credentials(server: server, organization: organization) } catch {
            throw .keyring(error)
        }
        if existing.contains(where: { $0.credential.secret == secret }) { return false }
        try await check(secret, organization: organization)
        let credential = StoredCredential(
            server: server, organization: organization, username: organization, secret: secret,
            metadata: PATMetadata(source: .imported, storedAt: clock.now(), validTo: validTo))
        do {
            try store.replace(with: credential) { $0.metadata.authorizationID == nil }
        } catch { throw .keyring(error) }
        return true
    }

    private func check(_ secret: Secret, organization: String) async throws(PATImportError) {
        let basic = Data(":\(secret.value)".utf8).base64EncodedString()
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(
                method: "GET", url: "\(server)/\(URLQuery.escape(organization))/_apis/connectionData",
                headers: ["Authorization": "Basic \(basic)", "Accept": "application/json"]))
        } catch { throw .unreachable(error) }
        switch response.status {
        case 200: return
        case 203, 401, 403: throw .rejected(organization: organization, status: response.status)
        default: throw .unexpectedStatus(response.status)
        }
    }
}

/// Why `pat import` stored nothing.
public enum PATImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing was read from stdin.
    case empty
    /// The first line on stdin is far longer than any PAT.
    case tooLong(limit: Int)
    /// The input holds spaces, control characters or non-ASCII bytes, so it is no PAT.
    case malformed
    /// `--expires` is not a `YYYY-MM-DD` date.
    case invalidExpiry(String)
    /// `--expires` is already past.
    case expiryInPast(String)
    /// Azure DevOps refused the PAT for the organization.
    case rejected(organization: String, status: Int)
    /// Azure DevOps answered with something other than success or refusal.
    case unexpectedStatus(Int)
    /// Azure DevOps could not be reached.
    case unreachable(TransportError)
    /// The keyring failed.
    case keyring(KeyringError)

    /// One line: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .empty:
            return "no PAT on stdin; paste it at the prompt or pipe it in, e.g. `git credential-azdo pat import --org ORG < file`"
        case .tooLong(let limit):
            return "the input's first line is over \(limit) bytes, far longer than a PAT; give only the token"
        case .malformed: return "the input is not a PAT (it holds spaces or control characters); give only the token"
        case .invalidExpiry(let text):
            return "--expires \(DisplayText.quoted(text)) is not a date; give it as YYYY-MM-DD, as the web UI shows it"
        case .expiryInPast(let date):
            return "--expires \(date) is in the past; an expired PAT cannot be used, create a new one"
        case .rejected(let organization, let status):
            return "Azure DevOps refused this PAT for \(organization) (HTTP \(status)); check that it was made for this "
                + "organization with the Code scope and is neither expired nor revoked; nothing was stored"
        case .unexpectedStatus(let status):
            return "Azure DevOps answered HTTP \(status) while checking the PAT; nothing was stored, try again later"
        case .unreachable(let error):
            return "could not reach Azure DevOps to check the PAT (\(error)); nothing was stored"
        case .keyring(let error): return error.description
        }
    }
}
