/// The parts of a `url=` attribute, split the way git's `credential_from_url` does.
public struct GitURL: Equatable, Sendable {
    /// `https`, `http`, …
    public var scheme: String
    /// `host[:port]`, percent-decoded.
    public var host: String
    /// The path without its leading and trailing slashes; nil when empty.
    public var path: String?
    /// The user name in the URL, if any.
    public var username: String?
    /// The password in the URL, if any.
    public var password: String?

    /// Parses `scheme://[user[:password]@]host[:port][/path]`; `nil` for anything else,
    /// and for a URL whose decoded parts would hold a newline, carriage return or NUL.
    public init?(_ url: String) {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        scheme = String(url[..<schemeEnd.lowerBound])
        guard !scheme.isEmpty else { return nil }
        var rest = url[schemeEnd.upperBound...]
        let slash = rest.firstIndex(of: "/")
        var authority = slash.map { rest[..<$0] } ?? rest
        rest = slash.map { rest[rest.index(after: $0)...] } ?? ""
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                guard let user = try? Self.percentDecoded(userInfo[..<colon]),
                    let secret = try? Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
                else { return nil }
                username = user
                password = secret
            } else {
                guard let user = try? Self.percentDecoded(userInfo) else { return nil }
                username = user
            }
        }
        guard let host = try? Self.percentDecoded(authority) else { return nil }
        self.host = host
        var trimmed = Substring(rest)
        while trimmed.last == "/" { trimmed.removeLast() }
        if trimmed.isEmpty {
            path = nil
        } else {
            guard let path = try? Self.percentDecoded(trimmed) else { return nil }
            self.path = path
        }
    }

    /// Writes the parsed parts into `request`.
    func apply(to request: inout CredentialRequest) {
        request.protocol = scheme
        request.host = host
        request.path = path
        request.username = username
        request.password = password.map(Secret.init)
    }

    /// A decoded component that cannot be used.
    struct UnusableComponent: Error {}

    /// Decodes `%XX` escapes, keeping a malformed escape as written (as git's `url_decode`
    /// does); throws when the result is not UTF-8 or holds a newline, carriage return or NUL.
    static func percentDecoded(_ text: Substring) throws(UnusableComponent) -> String {
        let source = Array(text.utf8)
        var bytes: [UInt8] = []
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "%"), index + 2 < source.count,
                let high = hexValue(source[index + 1]), let low = hexValue(source[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        guard !bytes.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }),
            let decoded = String(validating: bytes, as: UTF8.self)
        else { throw UnusableComponent() }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
