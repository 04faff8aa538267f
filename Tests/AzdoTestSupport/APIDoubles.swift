public import AzdoAPI
public import AzdoCredential
public import AzdoHTTP
public import Foundation
import Synchronization
import Testing

// Stand-ins for the HTTP and token seams, and the recorded PAT API answers in Fixtures/,
// shared by the API, lifecycle and setup tests.

/// Answers requests from a script, one entry per call, and records what was sent.
public final class ScriptedTransport: HTTPTransport {
    private let state: Mutex<(script: [Result<HTTPResponse, TransportError>], sent: [HTTPRequest])>

    /// Creates a transport that answers with `script`, in order.
    public init(_ script: [Result<HTTPResponse, TransportError>]) {
        state = Mutex((script, []))
    }

    public var sent: [HTTPRequest] { state.withLock { $0.sent } }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let next = state.withLock { state -> Result<HTTPResponse, TransportError> in
            state.sent.append(request)
            return state.script.isEmpty ? .failure(.connectionFailed(detail: "script exhausted")) : state.script.removeFirst()
        }
        return try next.get()
    }
}

/// Records requested waits instead of sleeping.
public final class RecordingSleeper: RetrySleeper {
    /// Creates it.
    public init() {}

    private let waits = Mutex<[Int]>([])

    public var recorded: [Int] { waits.withLock { $0 } }

    public func sleep(seconds: Int) async { waits.withLock { $0.append(seconds) } }
}

/// A 200 answer carrying the fixture `fixtureName`.
public func ok(_ fixtureName: String) throws -> Result<HTTPResponse, TransportError> {
    .success(HTTPResponse(status: 200, headers: json, body: try fixture(fixtureName)))
}

/// A `RefreshTokenStore` in memory that records every save.
public final class MemoryRefreshTokenStore: RefreshTokenStore {
    /// Creates an empty store.
    public init() {}

    private let state = Mutex<[StoredRefreshToken]>([])

    public var saved: [StoredRefreshToken] { state.withLock { $0 } }

    public func refreshToken(authority: String, tenant: String, clientID: String) throws(KeyringError) -> StoredRefreshToken? {
        state.withLock { $0.last { $0.authority == authority && $0.tenant == tenant && $0.clientID == clientID } }
    }

    public func saveRefreshToken(_ token: StoredRefreshToken) throws(KeyringError) {
        state.withLock { $0.append(token) }
    }

    public func removeRefreshToken(authority: String, tenant: String, clientID: String) throws(KeyringError) {
        state.withLock { $0.removeAll { $0.tenant == tenant } }
    }

    public func signIns(authority: String, clientID: String) throws(KeyringError) -> [StoredRefreshToken] {
        // The newest record of each tenant, as the keyring keeps one per tenant.
        let records = state.withLock { $0.filter { $0.authority == authority && $0.clientID == clientID } }
        return Dictionary(records.map { ($0.tenant, $0) }, uniquingKeysWith: { $1 }).values
            .map { var record = $0; record.token = Secret(""); return record }.sorted { $0.tenant < $1.tenant }
    }
}

/// The bytes of `Fixtures/NAME`, a recorded PAT API answer.
public func fixture(_ name: String) throws -> Data {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    return try Data(contentsOf: url)
}

/// The headers of a JSON answer from the PAT API.
public let json = ["Content-Type": "application/json; charset=utf-8"]

/// An Entra answer with `status` and the JSON text `json`.
public func entra(_ status: Int, _ json: String) -> Result<HTTPResponse, TransportError> {
    .success(HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Data(json.utf8)))
}
