import AzdoHTTP
import FoundationEssentials

/// A request URL's path segments and query, percent-decoded.
struct RequestTarget {
    /// `scheme://host[:port]`, or empty for a bare path.
    var origin: String
    var path: String
    var segments: [String]
    var query: [String: String]

    init(_ url: String) {
        var rest = Substring(url)
        origin = ""
        if let scheme = rest.firstRange(of: "://") {
            let start = rest.startIndex
            rest = rest[scheme.upperBound...]
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            origin = String(url[start..<slash])
            rest = slash < rest.endIndex ? rest[slash...] : "/"
        }
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(parts.first ?? "/")
        segments = path.split(separator: "/").map { FormBody.decode($0) }
        query = parts.count > 1 ? FormBody.pairs(parts[1]) : [:]
    }
}

/// An `application/x-www-form-urlencoded` body.
struct FormBody {
    private let fields: [String: String]

    init(_ body: Data?) {
        fields = FormBody.pairs(Substring(String(decoding: body ?? Data(), as: UTF8.self)))
    }

    subscript(name: String) -> String? { fields[name] }

    static func pairs(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return result
    }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A JSON value the emulator writes.
enum JSONValue {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    var text: String {
        switch self {
        case .string(let value): return Self.quote(value)
        case .int(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array(let values): return "[" + values.map(\.text).joined(separator: ",") + "]"
        case .object(let fields):
            return "{" + fields.keys.sorted().map { Self.quote($0) + ":" + fields[$0]!.text }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension Emulator {
    static func object(_ fields: [String: JSONValue]) -> String { JSONValue.object(fields).text }
}

extension HTTPResponse {
    static func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> HTTPResponse {
        var all = headers
        all["Content-Type"] = "application/json; charset=utf-8"
        return HTTPResponse(status: status, headers: all, body: Data(body.utf8))
    }

    /// What Azure DevOps sends a PAT API call without a valid Entra token.
    static let signInPage = HTTPResponse(
        status: 203, headers: ["Content-Type": "text/html; charset=utf-8"],
        body: Data("<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head></html>".utf8))
}

/// Random token text from the system's secure generator.
enum Random {
    static func token(length: Int, alphabet: String = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        -> String
    {
        let characters = Array(alphabet)
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in characters.randomElement(using: &generator)! })
    }
}
