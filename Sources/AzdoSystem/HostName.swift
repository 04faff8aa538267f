/// Host-name helpers shared by the resolver, extra-host parsing and the HTTP transport.
public enum HostName {
    /// Splits `host[:port]` (IPv6 literals in brackets) into name and port text.
    public static func split(_ host: String) -> (name: Substring, port: Substring?) {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let name = host[...close]
            let rest = host[host.index(after: close)...]
            return (name, rest.hasPrefix(":") ? rest.dropFirst() : nil)
        }
        guard let colon = host.lastIndex(of: ":") else { return (Substring(host), nil) }
        return (host[..<colon], host[host.index(after: colon)...])
    }

    /// Whether `host[:port]` names this machine: `localhost`, 127.0.0.0/8 or `[::1]`.
    public static func isLoopback(_ host: String) -> Bool {
        let name = split(host).name.lowercased()
        if name == "localhost" || name == "[::1]" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
