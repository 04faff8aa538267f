/// Why a PAT Lifecycle Management API call failed. Each case says what happened and what
/// the user can do; none carries a token.
public enum PATAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP 203 with an HTML sign-in page, or a 401: the Entra token was missing or refused.
    case notSignedIn
    /// HTTP 403: signed in, but not allowed (e.g. no access to the organization).
    case forbidden(message: String?)
    /// HTTP 429: throttled; try again after `retryAfterSeconds` when the service said.
    case throttled(retryAfterSeconds: Int?)
    /// HTTP 5xx.
    case serverError(status: Int)
    /// Another unexpected HTTP status, with the service's message when it sent one.
    case unexpectedStatus(status: Int, message: String?)
    /// The body was not the JSON the API documents.
    case malformedResponse(detail: String)
    /// HTTP 200 with `patTokenError` other than `none`.
    case tokenError(PATTokenError, message: String?)

    /// Whether retrying the same call later can succeed.
    public var isTransient: Bool {
        switch self {
        case .throttled, .serverError: return true
        default: return false
        }
    }

    /// One line: what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .notSignedIn:
            return "Azure DevOps did not accept the Microsoft Entra sign-in; run `git credential-azdo login`"
        case .forbidden(let message):
            return "Azure DevOps refused the request (HTTP 403)\(Self.suffix(message)); check that your account "
                + "can manage PATs in this organization"
        case .throttled(let seconds):
            let wait = seconds.map { "after \($0) s" } ?? "later"
            return "Azure DevOps is throttling requests (HTTP 429); try again \(wait)"
        case .serverError(let status):
            return "Azure DevOps had an internal error (HTTP \(status)); try again later"
        case .unexpectedStatus(let status, let message):
            return "Azure DevOps answered HTTP \(status)\(Self.suffix(message))"
        case .malformedResponse(let detail):
            return "Azure DevOps sent a response that is not the documented JSON (\(detail)); try again later"
        case .tokenError(let error, let message):
            let hint = error.rawValue == "globalPatPolicyViolation"
                ? "global (all-organization) PATs stopped working on 2026-12-01; use an organization-scoped PAT "
                    + "(`git credential-azdo pat create --org ORGANIZATION`) or Microsoft Entra tokens "
                    + "(`git config --global azdo.ORGANIZATION.credentialType oauth`)"
                : error.rawValue == "disablePatCreationPolicyViolation"
                ? "the organization forbids creating PATs; `git config --global azdo.ORGANIZATION.credentialType oauth` "
                    + "makes git use Microsoft Entra tokens there instead"
                : error.isPolicyViolation
                ? "an organization policy forbids this; ask an administrator or change the request"
                : "the request was refused"
            return "the PAT API reported \(error.rawValue)\(Self.suffix(message)); \(hint)"
        }
    }

    private static func suffix(_ message: String?) -> String {
        guard let message, !message.isEmpty else { return "" }
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return ": \(oneLine)"
    }
}
