import AzdoAPI
import AzdoCredential
import AzdoTestSupport
import Foundation
import Testing

@Suite("PAT Lifecycle API responses")
struct PATResponseTests {
    @Test("a successful create yields the token, its id, scope and dates")
    func createSuccess() throws {
        let token = try PATResponse.token(status: 200, headers: json, body: fixture("create-success.json"))
        #expect(token.authorizationID == "2b7c9a51-0000-0000-0000-000000000000")
        #expect(token.token == Secret("fixture-token-not-a-real-pat"))
        #expect(token.scope == "vso.code_write")
        #expect(token.targetAccounts == ["7d1f0c2e-0000-0000-0000-000000000000"])
        #expect(token.validTo.timeIntervalSince1970 == 1_756_512_000)
        #expect(abs(token.validFrom.timeIntervalSince1970 - 1_748_772_000.12) < 0.001)
        #expect(!"\(token)".contains("fixture-token"), "a PAT never shows in a description")
    }

    @Test("patTokenError inside an HTTP 200 is a typed failure, policy violations are recognised")
    func errorInside200() throws {
        #expect(throws: PATAPIError.tokenError(
            .known("fullScopePatPolicyViolation"),
            message: "Creating full-scoped PATs is restricted by your organization's policy."))
        {
            try PATResponse.token(status: 200, headers: json, body: fixture("create-policy-violation.json"))
        }
        #expect(PATTokenError("fullScopePatPolicyViolation").isPolicyViolation)
        #expect(PATTokenError("globalPATCreationBlocked").isPolicyViolation)
        #expect(!PATTokenError("invalidScope").isPolicyViolation)
    }

    @Test("an unknown patTokenError value decodes gracefully instead of failing")
    func unknownErrorValue() throws {
        #expect(throws: PATAPIError.tokenError(.unknown("someFutureError"), message: nil)) {
            try PATResponse.token(status: 200, headers: json, body: fixture("create-unknown-error.json"))
        }
    }

    @Test("the 7.2 specification's 37 values are all known, none first")
    func knownValues() {
        #expect(PATTokenError.knownValues.count == 37)
        #expect(Set(PATTokenError.knownValues).count == 37)
        #expect(PATTokenError("none") == .none)
        #expect(!PATTokenError.knownValues.contains("duplicateDisplayName"))
        for value in PATTokenError.knownValues.dropFirst() {
            #expect(PATTokenError(value) == .known(value))
        }
    }

    @Test("a list page decodes dates with and without fractions, and the continuation token")
    func listPage() throws {
        let page = try PATResponse.page(status: 200, headers: json, body: fixture("list-page.json"))
        #expect(page.continuationToken == "next-page")
        #expect(page.patTokens.map(\.displayName) == ["a", "b"])
        #expect(page.patTokens[0].targetAccounts == nil)
        #expect(page.patTokens.allSatisfy { $0.token == nil })
    }

    @Test("HTTP 203 with a sign-in page, a redirect to it, a 401, or HTML under 200 mean: not signed in")
    func notSignedIn() throws {
        let html = try fixture("sign-in.html")
        let htmlHeaders = ["content-type": "text/html; charset=utf-8"]
        for status in [203, 302, 401, 200] {
            #expect(throws: PATAPIError.notSignedIn) {
                try PATResponse.token(status: status, headers: htmlHeaders, body: html)
            }
        }
    }

    @Test("403 carries the service's message; 429 its Retry-After; 5xx is transient")
    func statusErrors() throws {
        let forbidden = try fixture("forbidden.json")
        #expect(throws: PATAPIError.forbidden(
            message: "TF400813: The user is not authorized to access this resource."))
        {
            try PATResponse.page(status: 403, headers: json, body: forbidden)
        }
        #expect(throws: PATAPIError.throttled(retryAfterSeconds: 30)) {
            try PATResponse.page(status: 429, headers: ["retry-after": "30"], body: Data())
        }
        #expect(throws: PATAPIError.serverError(status: 503)) {
            try PATResponse.revoked(status: 503, headers: [:], body: Data())
        }
        #expect(PATAPIError.serverError(status: 500).isTransient)
        #expect(PATAPIError.throttled(retryAfterSeconds: nil).isTransient)
        #expect(!PATAPIError.notSignedIn.isTransient)
        try PATResponse.revoked(status: 204, headers: [:], body: Data())
    }

    @Test("truncated or malformed JSON is a malformed-response error naming what is wrong")
    func malformed() throws {
        let full = try fixture("create-success.json")
        #expect(throws: PATAPIError.self) {
            try PATResponse.token(status: 200, headers: json, body: full.prefix(full.count / 2))
        }
        do {
            _ = try PATResponse.token(status: 200, headers: json, body: Data(#"{"patTokenError":"none"}"#.utf8))
            Issue.record("expected a failure")
        } catch {
            #expect(error == .malformedResponse(detail: "patTokenError is none but patToken is missing"))
        }
        do {
            _ = try PATResponse.page(status: 200, headers: json, body: Data(#"{"patTokens":[{"validTo":"x"}]}"#.utf8))
            Issue.record("expected a failure")
        } catch {
            guard case .malformedResponse(let detail) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(detail.contains("authorizationId"))
        }
    }

    @Test("every error description is one line without the token")
    func descriptions() {
        let errors: [PATAPIError] = [
            .notSignedIn, .forbidden(message: "a\nb"), .throttled(retryAfterSeconds: 5), .serverError(status: 500),
            .unexpectedStatus(status: 418, message: nil), .malformedResponse(detail: "x"),
            .tokenError(.known("patLifespanPolicyViolation"), message: "line1\r\nline2"),
        ]
        for error in errors {
            let text = error.description
            #expect(!text.utf8.contains(0x0A) && !text.utf8.contains(0x0D), "\(text)")
        }
    }
}

@Suite("PAT Lifecycle API requests")
struct PATRequestTests {
    @Test("create is organization-scoped and writes validTo in the API's format")
    func createBody() throws {
        let request = PATCreateRequest(
            displayName: "git-credential-azdo on host", scope: "vso.code_write",
            validTo: Date(timeIntervalSince1970: 1_756_512_000))
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(request)) as? [String: Any]
        #expect(object?["allOrgs"] as? Bool == false)
        #expect(object?["validTo"] as? String == "2025-08-30T00:00:00.000Z")
        #expect(object?["scope"] as? String == "vso.code_write")
        #expect(object?["displayName"] as? String == "git-credential-azdo on host")
    }

    @Test("update sends all five fields, unchanged ones as the token has them; a token without target accounts is global")
    func updateBody() throws {
        let token = PATToken(
            authorizationID: "2b7c9a51-0000-0000-0000-000000000000", displayName: "laptop", scope: "vso.code",
            targetAccounts: ["7d1f0c2e-0000-0000-0000-000000000000"], token: nil,
            validFrom: Date(timeIntervalSince1970: 0), validTo: Date(timeIntervalSince1970: 86_400))
        var request = PATUpdateRequest(token: token)
        request.validTo = Date(timeIntervalSince1970: 0)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(request)) as? [String: Any]
        #expect(object?.keys.sorted() == ["allOrgs", "authorizationId", "displayName", "scope", "validTo"])
        #expect(object?["validTo"] as? String == "1970-01-01T00:00:00.000Z")
        #expect(object?["displayName"] as? String == "laptop")
        #expect(object?["scope"] as? String == "vso.code")
        #expect(object?["allOrgs"] as? Bool == false)
        var global = token
        global.targetAccounts = nil
        #expect(PATUpdateRequest(token: global).allOrgs)
    }
}
