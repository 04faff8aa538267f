/// The proxy from `HTTPS_PROXY`/`https_proxy` (`[scheme://][user:password@]host[:port]`),
/// minus the hosts `NO_PROXY` lists.
struct ProxySettings: Sendable {
    /// Where the proxy is, and the URL libcurl is given for it (credentials included).
    struct Proxy: Sendable {
        var host: String
        var port: Int
        var url: String
    }

    var proxy: Proxy?
    var noProxy: [String]

    init(environment: [String: String]) {
        noProxy = (environment["NO_PROXY"] ?? environment["no_proxy"] ?? "")
            .split(separator: ",").map { String($0.filter { !$0.isWhitespace }).lowercased() }.filter { !$0.isEmpty }
        var text = Substring(environment["HTTPS_PROXY"] ?? environment["https_proxy"] ?? "")
        var scheme = "http"
        if let separator = text.firstRange(of: "://") {
            scheme = text[..<separator.lowerBound].lowercased()
            text = text[separator.upperBound...]
        }
        var credentials = ""
        if let at = text.lastIndex(of: "@") {
            credentials = String(text[...at])
            text = text[text.index(after: at)...]
        }
        text = text.prefix { $0 != "/" }
        // libcurl's proxy schemes; anything else is taken for an HTTP proxy, as curl does.
        if !["http", "https", "socks4", "socks4a", "socks5", "socks5h"].contains(scheme) { scheme = "http" }
        guard !text.isEmpty else {
            proxy = nil
            return
        }
        var host = String(text)
        var port = scheme == "https" ? 443 : scheme.hasPrefix("socks") ? 1080 : 80
        if let colon = text.lastIndex(of: ":"), !text[colon...].contains("]"), let given = Int(text[text.index(after: colon)...]) {
            host = String(text[..<colon])
            port = given
        }
        proxy = Proxy(host: host, port: port, url: "\(scheme)://\(credentials)\(host):\(port)")
    }

    /// Whether `host` bypasses the proxy.
    func bypasses(_ host: String) -> Bool {
        let host = host.lowercased()
        return noProxy.contains { $0 == "*" || host == $0 || host.hasSuffix($0.hasPrefix(".") ? $0 : "." + $0) }
    }
}
