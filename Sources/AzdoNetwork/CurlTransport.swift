public import AzdoHTTP
import AzdoSystem
import CAzdoCurl
import FoundationEssentials

/// The real `HTTPTransport`: libcurl (git's own HTTPS library) through the `CAzdoCurl`
/// shim, with the system's CA store.
///
/// It goes through the proxy in `HTTPS_PROXY` (or `https_proxy`) unless the host is listed
/// in `NO_PROXY`, and reads nothing else from the environment. Plain `http://` is refused
/// unless the host is loopback, so a token can only travel in clear to this machine (the
/// emulator). Redirects are returned, never followed, so a token goes only to the host it
/// was sent to. Each request has a deadline.
public final class CurlTransport: HTTPTransport {
    private let settings: ProxySettings
    private let timeoutSeconds: Int64
    private let plainHTTPHosts: Set<String>

    /// The Azure Instance Metadata Service's link-local address, which speaks plain http
    /// and is reachable only from the machine itself.
    public static let metadataServiceHost = "169.254.169.254"

    /// The largest response body accepted.
    static let maxBody = 8 << 20

    /// Creates a transport; `environment` supplies the proxy variables; `plainHTTPHosts`
    /// may be reached over plain http besides loopback (only `metadataServiceHost` makes sense).
    public init(environment: [String: String], timeoutSeconds: Int64 = 30, plainHTTPHosts: Set<String> = []) {
        settings = ProxySettings(environment: environment)
        self.timeoutSeconds = timeoutSeconds
        self.plainHTTPHosts = plainHTTPHosts
    }

    /// Sends `request` and collects the whole response (bounded to 8 MiB).
    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        guard let host = Self.host(of: request.url), Self.isAllowed(request.url) || plainHTTPHosts.contains(host)
        else {
            throw .connectionFailed(detail: "refusing plain http to a host that is not loopback")
        }
        // A line break would let a value start a header of its own.
        let lines = request.headers.map { "\($0.key): \($0.value)" }
        guard !lines.contains(where: { $0.contains("\r") || $0.contains("\n") }) else {
            throw .connectionFailed(detail: "a request header contains a line break")
        }
        let proxy = settings.bypasses(host) ? nil : settings.proxy?.url
        let timeoutMilliseconds = Int(timeoutSeconds) * 1000
        let created = (request.body ?? Data()).withUnsafeBytes { bytes in
            CAzdoCurl_create(
                request.method, request.url, request.body == nil ? 0 : 1, bytes.bindMemory(to: UInt8.self).baseAddress,
                bytes.count, proxy, min(10_000, timeoutMilliseconds), timeoutMilliseconds, Self.maxBody)
        }
        guard let created else { throw .connectionFailed(detail: "out of memory") }
        let transfer = Transfer(created)
        for line in lines where CAzdoCurl_add_header(created, line) == 0 {
            throw .connectionFailed(detail: "out of memory")
        }
        guard await transfer.run() else { throw .connectionFailed(detail: "no thread for the request") }
        return try transfer.response()
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

/// One libcurl transfer, freed when the last of its users (the request, a cancellation
/// handler) lets go of it: never while its thread still runs.
private final class Transfer: @unchecked Sendable {
    // @unchecked: the pointer is written by the shim's thread only before it signals
    // completion, and read here only after; `CAzdoCurl_cancel` is safe from any thread.
    private let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { CAzdoCurl_free(pointer) }

    /// Runs the transfer to its end, or returns false when it could not start. Cancelling
    /// the task stops it.
    func run() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let context = Unmanaged.passRetained(Completion(continuation)).toOpaque()
                let started = CAzdoCurl_start(pointer, { context in
                    // The shim's thread, once the transfer has ended.
                    guard let context else { return }
                    Unmanaged<Completion>.fromOpaque(context).takeRetainedValue().continuation.resume(returning: true)
                }, context)
                if started == 0 {
                    Unmanaged<Completion>.fromOpaque(context).takeRetainedValue().continuation.resume(returning: false)
                }
            }
        } onCancel: {
            CAzdoCurl_cancel(pointer)
        }
    }

    /// The response, or why there is none.
    func response() throws(TransportError) -> HTTPResponse {
        switch CAzdoCurl_result(pointer) {
        case CAZDO_CURL_OK: break
        case CAZDO_CURL_TIMEOUT: throw .timedOut
        case CAZDO_CURL_TOO_LARGE: throw .connectionFailed(detail: "the response is larger than 8 MiB")
        case CAZDO_CURL_CANCELLED: throw .connectionFailed(detail: "cancelled")
        default: throw .connectionFailed(detail: String(cString: CAzdoCurl_message(pointer)))
        }
        var length = 0
        let body = CAzdoCurl_body(pointer, &length).map { Data(bytes: $0, count: length) } ?? Data()
        var headers: [String: String] = [:]
        if let text = CAzdoCurl_headers(pointer, &length) {
            let block = String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
            for line in block.split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = String(line[..<colon].trimmingWhitespace())
                let value = String(line[line.index(after: colon)...].trimmingWhitespace())
                // Repeated headers (Azure DevOps sends several WWW-Authenticate) are joined
                // with ", ", which HTTP defines as equivalent.
                headers[name] = headers[name].map { "\($0), \(value)" } ?? value
            }
        }
        return HTTPResponse(status: CAzdoCurl_status(pointer), headers: headers, body: body)
    }
}

/// The continuation a transfer's completion resumes, carried through the shim as `void *`.
private final class Completion {
    let continuation: CheckedContinuation<Bool, Never>

    init(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation = continuation }
}
