import AzdoHTTP
import AzdoTestSupport
import Foundation
import Testing
@testable import AzdoAPI

@Suite("--verbose trace")
struct TracingTransportTests {
    let secrets = ["eyJhbGciOiJSUzI1NiJ9.secret-access", "1.AQ-refresh-secret", "device-code-secret", "patSecret84chars"]

    func trace(_ request: HTTPRequest, _ response: Result<HTTPResponse, TransportError>) async -> [String] {
        let sink = RecordingSink()
        let transport = TracingTransport(wrapping: ScriptedTransport([response]), sink: sink)
        _ = try? await transport.send(request)
        return sink.lines
    }

    @Test("credential headers keep only their scheme; other headers and the URL are shown")
    func headers() async {
        let lines = await trace(
            HTTPRequest(
                method: "GET", url: "https://vssps.dev.azure.com/contoso/_apis/tokens/pats?api-version=7.1-preview.1",
                headers: ["Authorization": "Bearer \(secrets[0])", "Accept": "application/json"]),
            .success(HTTPResponse(status: 429, headers: ["Retry-After": "7", "Set-Cookie": "session=\(secrets[1])"])))
        #expect(lines.first == "> GET https://vssps.dev.azure.com/contoso/_apis/tokens/pats?api-version=7.1-preview.1")
        #expect(lines.contains(">   Authorization: Bearer [redacted]"))
        #expect(lines.contains(">   Accept: application/json"))
        #expect(lines.contains { $0.hasPrefix("< 429 in ") && $0.hasSuffix(" ms") })
        #expect(lines.contains("<   Retry-After: 7"))
        #expect(lines.contains("<   Set-Cookie: [redacted]"))
        #expect(!lines.joined().contains(secrets[0]) && !lines.joined().contains(secrets[1]))
    }

    @Test("secret fields in form and JSON bodies are redacted at any depth; the rest is shown")
    func bodies() async {
        let form = "grant_type=refresh_token&client_id=abc&refresh_token=\(secrets[1])&device_code=\(secrets[2])"
        let json = #"{"patToken":{"displayName":"n","token":"\#(secrets[3])"},"patTokenError":"none","#
            + #""access_token":"\#(secrets[0])","list":[{"refreshToken":"\#(secrets[1])"}],"token_type":"Bearer"}"#
        let lines = await trace(
            HTTPRequest(
                method: "POST", url: "https://login.microsoftonline.com/organizations/oauth2/v2.0/token",
                headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data(form.utf8)),
            .success(HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(json.utf8))))
        let text = lines.joined(separator: "\n")
        #expect(lines.contains(">   grant_type=refresh_token&client_id=abc&refresh_token=[redacted]&device_code=[redacted]"))
        #expect(text.contains(#""displayName":"n""#))
        #expect(text.contains(#""patTokenError":"none""#))
        #expect(text.contains(#""token":"[redacted]""#))
        #expect(text.contains(#""access_token":"[redacted]""#))
        #expect(text.contains(#""refreshToken":"[redacted]""#))
        for secret in secrets { #expect(!text.contains(secret)) }
    }

    @Test("a body that does not parse is shown only by its size, since it could end inside a token")
    func unparsedBodies() async {
        let truncated = #"{"patToken":{"token":"\#(secrets[3])"#
        let lines = await trace(
            HTTPRequest(method: "POST", url: "https://vssps.dev.azure.com/contoso/_apis/tokens/pats"),
            .success(HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(truncated.utf8))))
        #expect(lines.contains("<   (\(truncated.utf8.count) bytes of application/json, not shown)"))
        #expect(!lines.joined().contains(secrets[3]))
    }

    @Test("a transport failure is traced and still thrown")
    func failures() async {
        let sink = RecordingSink()
        let transport = TracingTransport(wrapping: ScriptedTransport([.failure(.timedOut)]), sink: sink)
        await #expect(throws: TransportError.timedOut) {
            try await transport.send(HTTPRequest(method: "GET", url: "https://dev.azure.com/contoso"))
        }
        #expect(sink.lines == ["> GET https://dev.azure.com/contoso", "< the request timed out"])
    }
}
