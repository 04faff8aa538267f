import AzdoAPI
import AzdoCredential
import AzdoHTTP
import AzdoTestSupport
import Foundation
import Synchronization
import Testing

@Suite("PAT API client")
struct PATClientTests {
    let sleeper = RecordingSleeper()

    func client(_ transport: ScriptedTransport) -> PATClient {
        PATClient(
            organization: "contoso", accessToken: Secret("entra-access-token"), transport: transport, sleeper: sleeper,
            baseURL: "https://vssps.example.test")
    }

    @Test("create POSTs an org-scoped request with the Entra token and returns the new PAT")
    func create() async throws {
        let transport = ScriptedTransport([try ok("create-success.json")])
        let token = try await client(transport).create(PATCreateRequest(
            displayName: "git-credential-azdo on host", scope: "vso.code_write",
            validTo: Date(timeIntervalSince1970: 1_756_512_000)))
        #expect(token.token == Secret("fixture-token-not-a-real-pat"))
        let request = try #require(transport.sent.first)
        #expect(request.method == "POST")
        #expect(request.url == "https://vssps.example.test/contoso/_apis/tokens/pats?api-version=7.1-preview.1")
        #expect(request.headers["Authorization"] == "Bearer entra-access-token")
        #expect(request.headers["Content-Type"] == "application/json")
        let body = try JSONSerialization.jsonObject(with: try #require(request.body)) as? [String: Any]
        #expect(body?["allOrgs"] as? Bool == false)
        #expect(!request.description.contains("entra-access-token"))
    }

    @Test("list follows continuation tokens with the same filter until the last page")
    func listPages() async throws {
        let last = HTTPResponse(status: 200, headers: json, body: Data(#"{"continuationToken":"","patTokens":[]}"#.utf8))
        let transport = ScriptedTransport([try ok("list-page.json"), .success(last)])
        let tokens = try await client(transport).list(filter: "all")
        #expect(tokens.map(\.displayName) == ["a", "b"])
        #expect(transport.sent.count == 2)
        #expect(transport.sent.allSatisfy { $0.url.contains("displayFilterOption=all") && $0.method == "GET" })
        #expect(!transport.sent[0].url.contains("continuationToken"))
        #expect(transport.sent[1].url.contains("continuationToken=next-page"))
    }

    @Test("429 is retried after Retry-After seconds")
    func throttledThenOK() async throws {
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 429, headers: ["Retry-After": "7"])), try ok("create-success.json"),
        ])
        let token = try await client(transport).token(authorizationID: "2b7c9a51-0000-0000-0000-000000000000")
        #expect(token.scope == "vso.code_write")
        #expect(sleeper.recorded == [7])
        #expect(transport.sent.count == 2)
        #expect(transport.sent[0].url.hasSuffix("&authorizationId=2b7c9a51-0000-0000-0000-000000000000"))
    }

    @Test("5xx is retried a bounded number of times with backoff, then reported")
    func serverErrors() async throws {
        let transport = ScriptedTransport(Array(repeating: .success(HTTPResponse(status: 503)), count: 5))
        await #expect(throws: PATClientError.api(.serverError(status: 503))) {
            try await client(transport).revoke(authorizationID: "x")
        }
        #expect(transport.sent.count == 3)
        #expect(sleeper.recorded == [1, 2])
    }

    @Test("time-outs are retried, then reported with the number of attempts")
    func timeouts() async throws {
        let transport = ScriptedTransport(Array(repeating: .failure(.timedOut), count: 3))
        await #expect(throws: PATClientError.transport(.timedOut, attempts: 3)) {
            try await client(transport).list()
        }
        #expect(sleeper.recorded == [1, 2])
    }

    @Test("a create is sent once after a time-out, a reset or a 5xx (it may have happened); after a 429 it is sent again",
        arguments: [
            Result<HTTPResponse, TransportError>.failure(.timedOut),
            .failure(.connectionFailed(detail: "connection reset by peer")), .success(HTTPResponse(status: 503)),
        ])
    func createNeverRepeatedBlindly(failure: Result<HTTPResponse, TransportError>) async throws {
        let request = PATCreateRequest(displayName: "n", scope: "vso.code", validTo: Date(timeIntervalSince1970: 0))
        let transport = ScriptedTransport([failure, try ok("create-success.json")])
        await #expect(throws: PATClientError.self) { try await client(transport).create(request) }
        #expect(transport.sent.map(\.method) == ["POST"])
        #expect(sleeper.recorded.isEmpty)

        let throttled = ScriptedTransport([
            .success(HTTPResponse(status: 429, headers: ["Retry-After": "3"])), try ok("create-success.json"),
        ])
        #expect(try await client(throttled).create(request).token != nil)
        #expect(throttled.sent.map(\.method) == ["POST", "POST"])
    }

    @Test("a sign-in page is not retried: the user must sign in")
    func notSignedInIsFinal() async throws {
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 203, headers: ["Content-Type": "text/html"], body: try fixture("sign-in.html")))
        ])
        await #expect(throws: PATClientError.api(.notSignedIn)) {
            try await client(transport).list()
        }
        #expect(transport.sent.count == 1)
        #expect(sleeper.recorded.isEmpty)
    }

    @Test("revoke DELETEs by authorizationId and accepts 204")
    func revoke() async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 204))])
        try await client(transport).revoke(authorizationID: "2b7c9a51 0000")
        #expect(transport.sent.first?.method == "DELETE")
        #expect(transport.sent.first?.url.hasSuffix("authorizationId=2b7c9a51%200000") == true)
    }
}
