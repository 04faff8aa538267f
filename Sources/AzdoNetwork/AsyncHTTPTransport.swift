import AsyncHTTPClient
public import AzdoHTTP
import AzdoSystem
import FoundationEssentials
import NIOCore
import NIOHTTP1

/// The real `HTTPTransport`, over AsyncHTTPClient with the system's CA store.
///
/// It goes through the proxy in `HTTPS_PROXY` (or `https_proxy`) unless the host is listed
/// in `NO_PROXY`. Plain `http://` is refused unless the host is loopback, so a token can
/// only travel in clear to this machine (the emulator). Each request has a deadline.
public final class AsyncHTTPTransport: HTTPTransport {
    private let direct: HTTPClient
    private let proxied: HTTPClient?
    private let settings: ProxySettings
    private let timeoutSeconds: Int64

    /// Creates a transport; `environment` supplies the proxy variables.
    public init(environment: [String: String], timeoutSeconds: Int64 = 30) {
        settings = ProxySettings(environment: environment)
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(timeoutSeconds))
        direct = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        if let proxy = settings.proxy {
            configuration.proxy = .server(host: proxy.host, port: proxy.port)
            proxied = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        } else {
            proxied = nil
        }
        self.timeoutSeconds = timeoutSeconds
    }

    deinit {
        try? direct.syncShutdown()
        try? proxied?.syncShutdown()
    }

    /// Sends `request` and collects the whole response (bounded to 8 MiB).
    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        guard let host = Self.host(of: request.url), Self.isAllowed(request.url) else {
            throw .connectionFailed(detail: "refusing plain http to a host that is not loopback")
        }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let client = settings.bypasses(host) ? direct : (proxied ?? direct)
            let response = try await client.execute(outgoing, timeout: .seconds(timeoutSeconds))
            var body = try await response.body.collect(upTo: 8 << 20)
            var headers: [String: String] = [:]
            // Repeated headers (Azure DevOps sends several WWW-Authenticate) are joined with
            // ", ", which HTTP defines as equivalent.
            for header in response.headers {
                headers[header.name] = headers[header.name].map { "\($0), \(header.value)" } ?? header.value
            }
            return HTTPResponse(
                status: Int(response.status.code), headers: headers,
                body: Data(body.readBytes(length: body.readableBytes) ?? []))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout
            || error == .connectTimeout
        {
            throw .timedOut
        } catch {
            throw .connectionFailed(detail: String(describing: type(of: error)))
        }
    }

    /// https anywhere; http only to loopback hosts.
    static func isAllowed(_ url: String) -> Bool {
        let lower = url.lowercased()
        if lower.hasPrefix("https://") { return true }
        guard lower.hasPrefix("http://"), let host = host(of: lower) else { return false }
        return HostName.isLoopback(host)
    }

    /// The lower-cased host of an absolute http(s) URL.
    static func host(of url: String) -> String? {
        guard let scheme = url.firstRange(of: "://") else { return nil }
        let authority = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" }
        let hostPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        let host = hostPort.hasPrefix("[") ? String(hostPort.prefix { $0 != "]" }) + "]"
            : String(hostPort.prefix { $0 != ":" })
        return host.isEmpty ? nil : host.lowercased()
    }
}

/// The proxy from `HTTPS_PROXY`/`https_proxy` (`http://host:port`), minus `NO_PROXY` hosts.
struct ProxySettings {
    var proxy: (host: String, port: Int)?
    var noProxy: [String]

    init(environment: [String: String]) {
        noProxy = (environment["NO_PROXY"] ?? environment["no_proxy"] ?? "")
            .split(separator: ",").map { String($0.filter { !$0.isWhitespace }).lowercased() }.filter { !$0.isEmpty }
        var text = Substring(environment["HTTPS_PROXY"] ?? environment["https_proxy"] ?? "")
        if let scheme = text.firstRange(of: "://") { text = text[scheme.upperBound...] }
        if let at = text.lastIndex(of: "@") { text = text[text.index(after: at)...] }
        text = text.prefix { $0 != "/" }
        guard !text.isEmpty else { proxy = nil; return }
        if let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) {
            proxy = (String(text[..<colon]), port)
        } else {
            proxy = (String(text), 80)
        }
    }

    /// Whether `host` bypasses the proxy.
    func bypasses(_ host: String) -> Bool {
        let host = host.lowercased()
        return noProxy.contains { $0 == "*" || host == $0 || host.hasSuffix($0.hasPrefix(".") ? $0 : "." + $0) }
    }
}
