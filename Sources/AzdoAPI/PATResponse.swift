public import FoundationEssentials

/// Turns an HTTP answer from the PAT Lifecycle Management API into a value or a typed
/// error, following the API's habits: failures inside HTTP 200 (`patTokenError`), HTTP 203
/// with an HTML sign-in page for a missing or bad Entra token, ADO's error JSON otherwise.
public enum PATResponse {
    /// Decodes a `PatTokenResult` and checks `patTokenError`; returns the PAT.
    public static func token(status: Int, headers: [String: String], body: Data) throws(PATAPIError) -> PATToken {
        let result: PATTokenResult = try decode(status: status, headers: headers, body: body)
        guard result.patTokenError == .none else {
            throw .tokenError(result.patTokenError, message: result.patTokenErrorMessage)
        }
        guard let token = result.patToken else {
            throw .malformedResponse(detail: "patTokenError is none but patToken is missing")
        }
        return token
    }

    /// Decodes one page of a list call.
    public static func page(status: Int, headers: [String: String], body: Data) throws(PATAPIError) -> PagedPATTokens {
        try decode(status: status, headers: headers, body: body)
    }

    /// Checks the answer to a revoke call (204 or 200 with an empty body).
    public static func revoked(status: Int, headers: [String: String], body: Data) throws(PATAPIError) {
        try checkStatus(status: status, headers: headers, body: body)
    }

    private static func decode<T: Decodable>(status: Int, headers: [String: String], body: Data)
        throws(PATAPIError) -> T
    {
        try checkStatus(status: status, headers: headers, body: body)
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch let error as DecodingError {
            throw .malformedResponse(detail: describe(error))
        } catch {
            throw .malformedResponse(detail: "unreadable body")
        }
    }

    private static func checkStatus(status: Int, headers: [String: String], body: Data) throws(PATAPIError) {
        let contentType = header("Content-Type", in: headers)?.lowercased() ?? ""
        switch status {
        // The API redirects only to its sign-in page; the transport never follows it.
        case 203, 300..<400, 401: throw .notSignedIn
        case 200..<300:
            if contentType.contains("text/html") { throw .notSignedIn }
            return
        case 403: throw .forbidden(message: serviceMessage(body))
        case 429: throw .throttled(retryAfterSeconds: header("Retry-After", in: headers).flatMap { Int($0) })
        case 500..<600: throw .serverError(status: status)
        default: throw .unexpectedStatus(status: status, message: serviceMessage(body))
        }
    }

    private static func header(_ name: String, in headers: [String: String]) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    private static func serviceMessage(_ body: Data) -> String? {
        (try? JSONDecoder().decode(ServiceErrorBody.self, from: body))?.message
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "missing '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not JSON" : "bad '\(path)'"
        @unknown default: return "undecodable"
        }
    }
}
