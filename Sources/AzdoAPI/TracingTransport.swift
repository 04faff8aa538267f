public import AzdoHTTP
public import AzdoSystem
import FoundationEssentials

/// `--verbose`: reports every request and response to a diagnostic sink, with every secret
/// replaced by `[redacted]`.
///
/// Redaction works by construction rather than by searching for secrets: credential headers
/// keep only their scheme; JSON and form bodies are parsed and the values of secret-bearing
/// fields (`token`, `access_token`, `refresh_token`, `device_code`, …) replaced; a body that
/// cannot be parsed (truncated JSON could end inside a token) is shown only by its size.
public struct TracingTransport: HTTPTransport {
    private let inner: any HTTPTransport
    private let sink: any DiagnosticSink

    /// Fields whose values are secrets, compared case-insensitively.
    static let secretFields: Set<String> = [
        "token", "access_token", "refresh_token", "id_token", "device_code", "code", "client_secret",
        "accesstoken", "refreshtoken", "password", "client_assertion", "code_verifier",
    ]
    /// Headers whose values are secrets; `Authorization`-style ones keep their scheme.
    static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie"]
    /// Longest body shown, in characters.
    static let bodyLimit = 2_000

    /// Traces `inner`'s traffic to `sink`.
    public init(wrapping inner: any HTTPTransport, sink: any DiagnosticSink) {
        self.inner = inner
        self.sink = sink
    }

    /// Sends `request` through the wrapped transport, reporting both directions.
    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        sink.report("> \(request.method) \(request.url)")
        report(headers: request.headers, body: request.body, direction: ">")
        let start = ContinuousClock.now
        do {
            let response = try await inner.send(request)
            let elapsed = (ContinuousClock.now - start).components
            let milliseconds = elapsed.seconds * 1_000 + elapsed.attoseconds / 1_000_000_000_000_000
            sink.report("< \(response.status) in \(milliseconds) ms")
            report(headers: response.headers, body: response.body, direction: "<")
            return response
        } catch {
            sink.report("< \(error)")
            throw error
        }
    }

    private func report(headers: [String: String], body: Data?, direction: String) {
        for name in headers.keys.sorted() {
            sink.report("\(direction)   \(name): \(Self.redactedHeader(name: name, value: headers[name] ?? ""))")
        }
        guard let body, !body.isEmpty else { return }
        let contentType = headers.first { $0.key.lowercased() == "content-type" }?.value ?? ""
        sink.report("\(direction)   \(Self.redactedBody(body, contentType: contentType))")
    }

    /// A header value as traced: credentials reduced to their scheme.
    static func redactedHeader(name: String, value: String) -> String {
        guard secretHeaders.contains(name.lowercased()) else { return DisplayText.quoted(value) }
        guard name.lowercased().hasSuffix("authorization"), let scheme = value.split(separator: " ").first else {
            return "[redacted]"
        }
        return "\(DisplayText.quoted(String(scheme))) [redacted]"
    }

    /// A body as traced: redacted JSON or form fields, else only its size and type.
    static func redactedBody(_ body: Data, contentType: String) -> String {
        let text: String
        if contentType.lowercased().contains("x-www-form-urlencoded") {
            text = String(decoding: body, as: UTF8.self).split(separator: "&").map { pair in
                let name = pair.prefix { $0 != "=" }
                return secretFields.contains(name.lowercased()) ? "\(name)=[redacted]" : String(pair)
            }.joined(separator: "&")
        } else if let tree = try? JSONDecoder().decode(JSONTree.self, from: body) {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            text = (try? encoder.encode(tree.redacted())).map { String(decoding: $0, as: UTF8.self) } ?? ""
        } else {
            return "(\(body.count) bytes of \(contentType.isEmpty ? "unknown type" : DisplayText.quoted(contentType)), not shown)"
        }
        let shown = DisplayText.quoted(text)
        return shown.count > bodyLimit ? shown.prefix(bodyLimit) + "… (\(body.count) bytes)" : shown
    }
}

/// Any JSON document, kept only long enough to redact and re-encode it for the trace.
indirect enum JSONTree: Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONTree])
    case object([String: JSONTree])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONTree].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONTree].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let fields): try container.encode(fields)
        }
    }

    /// The same document with every non-null value of a secret field replaced.
    func redacted() -> JSONTree {
        switch self {
        case .array(let values): return .array(values.map { $0.redacted() })
        case .object(let fields):
            var result: [String: JSONTree] = [:]
            for (name, value) in fields {
                if case .null = value {
                    result[name] = value
                } else {
                    result[name] = TracingTransport.secretFields.contains(name.lowercased())
                        ? .string("[redacted]") : value.redacted()
                }
            }
            return .object(result)
        default: return self
        }
    }
}
