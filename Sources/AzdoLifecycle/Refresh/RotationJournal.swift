import AzdoSystem
import FoundationEssentials

/// A rotation or create that was started, written down before the first API call so that a
/// crash or kill at any point is finished or undone by the next `refresh` (see `PATRotator`).
/// It holds no secret: the new PAT is found again by the nonce in its display name.
public struct RotationIntent: Sendable, Equatable, Codable {
    /// What was started.
    public enum Kind: String, Sendable, Codable {
        /// Regenerating a stored PAT (`refresh`).
        case rotation
        /// Creating a PAT next to whatever is stored (`pat create`).
        case create
    }

    /// What was started; journals written before creates were journaled hold rotations only.
    public var kind: Kind
    /// Random text in the new PAT's display name, unique to this rotation.
    public var nonce: String
    /// The server the PATs are stored under.
    public var server: String
    /// The organization.
    public var organization: String
    /// The API id of the PAT being replaced; nil when it has none (typed at git's prompt).
    public var replacedAuthorizationID: String?
    /// The new PAT's display name, which contains `nonce`.
    public var displayName: String
    /// When the rotation started (Unix seconds).
    public var startedAt: Int64
    /// Once the new PAT is stored: when the replaced one is to be revoked.
    public var revokeAt: Int64?

    /// Creates an intent.
    public init(
        kind: Kind = .rotation, nonce: String, server: String, organization: String, replacedAuthorizationID: String?,
        displayName: String, startedAt: Int64, revokeAt: Int64? = nil
    ) {
        self.kind = kind
        self.nonce = nonce
        self.server = server
        self.organization = organization
        self.replacedAuthorizationID = replacedAuthorizationID
        self.displayName = displayName
        self.startedAt = startedAt
        self.revokeAt = revokeAt
    }

    /// Decodes an intent; one without `kind` is a rotation.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decodeIfPresent(Kind.self, forKey: .kind) ?? .rotation
        nonce = try container.decode(String.self, forKey: .nonce)
        server = try container.decode(String.self, forKey: .server)
        organization = try container.decode(String.self, forKey: .organization)
        replacedAuthorizationID = try container.decodeIfPresent(String.self, forKey: .replacedAuthorizationID)
        displayName = try container.decode(String.self, forKey: .displayName)
        startedAt = try container.decode(Int64.self, forKey: .startedAt)
        revokeAt = try container.decodeIfPresent(Int64.self, forKey: .revokeAt)
    }
}

/// Where rotation and create intents are kept between runs.
public protocol RotationJournal: Sendable {
    /// Every unfinished rotation.
    func intents() throws(JournalError) -> [RotationIntent]
    /// Writes `intent` durably, replacing one with the same nonce.
    func record(_ intent: RotationIntent) throws(JournalError)
    /// Forgets the rotation with `nonce`.
    func remove(nonce: String) throws(JournalError)
}

/// The journal could not be read or written; no rotation starts without it.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The state directory is unusable or a write failed (`detail` is the system's words).
    case unavailable(path: String, detail: String)

    /// One line: what failed and what to do.
    public var description: String {
        switch self {
        case .unavailable(let path, let detail):
            return "cannot write the rotation journal in \(path) (\(detail)); nothing was changed, free some space "
                + "or fix the directory's permissions, then run `git credential-azdo refresh` again"
        }
    }
}

/// The journal as one JSON file per rotation (`rotation-NONCE.json`) in the state directory.
public struct FileRotationJournal: RotationJournal {
    private let directory: String

    /// A journal in `directory` (created 0700 when first written).
    public init(directory: String) {
        self.directory = directory
    }

    /// Every intent on disk; unreadable files are skipped (they cannot be acted on).
    public func intents() throws(JournalError) -> [RotationIntent] {
        guard let names = StateFile.names(in: directory) else { return [] }
        return names.filter { $0.hasPrefix("rotation-") && $0.hasSuffix(".json") }.compactMap { name in
            StateFile.read(directory + "/" + name).flatMap { try? JSONDecoder().decode(RotationIntent.self, from: Data($0)) }
        }
    }

    /// Writes the intent atomically and flushed to disk.
    public func record(_ intent: RotationIntent) throws(JournalError) {
        guard StateDirectory.create(directory) else { throw .unavailable(path: directory, detail: "cannot create it") }
        let bytes: [UInt8]
        do { bytes = Array(try JSONEncoder().encode(intent)) } catch {
            throw .unavailable(path: directory, detail: "unencodable intent")
        }
        if let failure = StateFile.replace(path(intent.nonce), with: bytes) {
            throw .unavailable(path: directory, detail: failure)
        }
    }

    /// Deletes the intent's file.
    public func remove(nonce: String) throws(JournalError) {
        if let failure = StateFile.remove(path(nonce)) { throw .unavailable(path: directory, detail: failure) }
    }

    private func path(_ nonce: String) -> String { "\(directory)/rotation-\(nonce).json" }
}
