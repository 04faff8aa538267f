public import FoundationEssentials

/// One HTTP request. Header values may hold a bearer token, so `description` omits them.
public struct HTTPRequest: Sendable, Equatable, CustomStringConvertible {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    public var method: String
    /// The absolute URL.
    public var url: String
    /// Request headers.
    public var headers: [String: String]
    /// The body, if any.
    public var body: Data?

    /// Creates a request.
    public init(method: String, url: String, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// `METHOD URL`, without headers or body.
    public var description: String { "\(method) \(url)" }
}

/// One HTTP response.
public struct HTTPResponse: Sendable, Equatable {
    /// The status code.
    public var status: Int
    /// Response headers (names as sent; look them up case-insensitively).
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why no HTTP response arrived.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No answer within the timeout.
    case timedOut
    /// The connection could not be made or broke off.
    case connectionFailed(detail: String)

    /// One line: what went wrong.
    public var description: String {
        switch self {
        case .timedOut: return "the request timed out"
        case .connectionFailed(let detail): return "the connection failed: \(detail)"
        }
    }
}

/// Sends HTTP requests. The real one talks to the network; tests and the emulator
/// substitute their own.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns whatever status came back.
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
}
