/// The parts of a `url=` attribute, split the way git's `credential_from_url` does.
struct GitURL: Equatable {
    var scheme: String
    var host: String
    var path: String?
    var username: String?
    var password: String?

    /// Parses `scheme://[user[:password]@]host[:port][/path]`; `nil` for anything else.
    init?(_ url: String) {
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
                username = Self.percentDecoded(userInfo[..<colon])
                password = Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
            } else {
                username = Self.percentDecoded(userInfo)
            }
        }
        host = Self.percentDecoded(authority) ?? String(authority)
        var trimmed = Substring(rest)
        while trimmed.last == "/" { trimmed.removeLast() }
        path = trimmed.isEmpty ? nil : Self.percentDecoded(trimmed)
    }

    /// Writes the parsed parts into `request`.
    func apply(to request: inout CredentialRequest) {
        request.protocol = scheme
        request.host = host
        request.path = path
        request.username = username
        request.password = password.map(Secret.init)
    }

    /// Decodes `%XX` escapes; `nil` if an escape is malformed or the result is not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
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
