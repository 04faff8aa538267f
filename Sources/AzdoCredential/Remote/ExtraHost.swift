import AzdoSystem

/// A host besides Azure DevOps' own that the user allowed, with the scheme it may use.
///
/// Entries come only from the user's global or system git config (`azdo.extraHost`) or
/// the `GIT_CREDENTIAL_AZDO_EXTRA_HOSTS` environment variable, never from a repository.
/// `host[:port]` and `https://host[:port]` allow https; `http://host[:port]` is accepted
/// only for loopback hosts (for tests and local proxies).
public struct ExtraHost: Sendable, Hashable {
    /// `https` or `http`.
    public var scheme: String
    /// `host[:port]`, lower-cased.
    public var host: String

    /// Parses one entry; throws when it is malformed or asks for plain http off loopback.
    public init(parsing entry: String) throws(ExtraHostError) {
        var text = Substring(entry.lowercased())
        scheme = "https"
        if let end = text.firstRange(of: "://") {
            scheme = String(text[..<end.lowerBound])
            text = text[end.upperBound...]
        }
        while text.last == "/" { text.removeLast() }
        host = String(text)
        guard !host.isEmpty, !host.contains("/"), !host.contains("@"), !host.contains(where: \.isWhitespace) else {
            throw .malformed(entry)
        }
        guard scheme == "https" || scheme == "http" else { throw .malformed(entry) }
        if scheme == "http" && !HostName.isLoopback(host) { throw .plainHTTPOffLoopback(entry) }
    }

    /// The `server` value stored with tokens for this host.
    public var server: String { "\(scheme)://\(host)" }
}

/// Why an extra-host entry was ignored.
public enum ExtraHostError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not `[scheme://]host[:port]`.
    case malformed(String)
    /// `http://` for a host that is not loopback.
    case plainHTTPOffLoopback(String)

    /// One line: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .malformed(let entry):
            return "ignoring extra host '\(DisplayText.quoted(entry))': write it as host[:port] or https://host[:port]"
        case .plainHTTPOffLoopback(let entry):
            return "ignoring extra host '\(DisplayText.quoted(entry))': plain http is allowed only for loopback hosts; use https://"
        }
    }
}
