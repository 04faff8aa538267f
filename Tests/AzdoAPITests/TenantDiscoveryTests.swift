import AzdoHTTP
import AzdoTestSupport
import Testing
@testable import AzdoAPI

@Suite("Tenant discovery")
struct TenantDiscoveryTests {
    let guid = "72f988bf-86f1-41af-91ab-2d7cd011db47"

    @Test("the Bearer challenge's authorization_uri wins, quoted or not, among other challenges")
    func fromChallenge() {
        let challenges = [
            "Basic realm=\"https://tfsprodweusu4.app.visualstudio.com/\"",
            "Bearer authorization_uri=https://login.microsoftonline.com/\(guid.uppercased())",
            "TFS-Federated",
        ]
        #expect(TenantDiscovery.tenant(challenges: challenges, resourceTenant: "11111111-0000-0000-0000-000000000000")
            == guid)
        #expect(TenantDiscovery.tenant(
            challenges: ["Bearer authorization_uri=\"https://login.microsoftonline.com/\(guid)/\", error=x"],
            resourceTenant: nil) == guid)
    }

    @Test("X-VSS-ResourceTenant: first non-zero GUID; a lone zero GUID means organizations; nothing means common")
    func fromHeader() {
        let zero = "00000000-0000-0000-0000-000000000000"
        #expect(TenantDiscovery.tenant(challenges: ["Basic realm=x"], resourceTenant: "\(zero), \(guid)") == guid)
        #expect(TenantDiscovery.tenant(challenges: [], resourceTenant: zero) == "organizations")
        #expect(TenantDiscovery.tenant(challenges: [], resourceTenant: nil) == "common")
        #expect(TenantDiscovery.tenant(challenges: ["Bearer realm=x"], resourceTenant: "") == "common")
    }

    @Test("a malformed authorization_uri is ignored")
    func malformed() {
        #expect(TenantDiscovery.tenant(fromChallenge: "Bearer authorization_uri=") == nil)
        #expect(TenantDiscovery.tenant(fromChallenge: "Bearer authorization_uri=https://x/a b") == "a")
        #expect(TenantDiscovery.tenant(fromChallenge: "Bearer authorization_uri=https://x/<script>") == nil)
        #expect(TenantDiscovery.tenant(fromChallenge: "Bearer authorization_uri=https://x/..") == nil)
        #expect(TenantDiscovery.tenant(fromChallenge: "Bearer authorization_uri=https://x/-x") == nil)
        #expect(TenantDiscovery.tenant(fromChallenge: "Bearer authorization_uri=https://x/contoso.onmicrosoft.com") == "contoso.onmicrosoft.com")
        #expect(TenantDiscovery.tenant(fromChallenge: "Basic authorization_uri=https://x/t") == nil)
    }

    @Test("a WWW-Authenticate value joining several challenges splits at each scheme, not at parameters")
    func splitsJoinedChallenges() {
        let joined = "Bearer authorization_uri=https://login.microsoftonline.com/\(guid), error=\"x\", "
            + "Basic realm=\"https://tfsprodweusu4.app.visualstudio.com/\", TFS-Federated"
        #expect(TenantDiscovery.splitChallenges(joined) == [
            "Bearer authorization_uri=https://login.microsoftonline.com/\(guid), error=\"x\"",
            "Basic realm=\"https://tfsprodweusu4.app.visualstudio.com/\"",
            "TFS-Federated",
        ])
        #expect(TenantDiscovery.tenant(challenges: TenantDiscovery.splitChallenges(joined), resourceTenant: nil) == guid)
        #expect(TenantDiscovery.splitChallenges("") == [])
    }

    @Test("asking the server: the 401's headers name the tenant; no answer falls back to organizations")
    func asksTheServer() async {
        let answers = ScriptedTransport([
            .success(HTTPResponse(status: 401, headers: [
                "WWW-Authenticate": "Bearer authorization_uri=https://login.microsoftonline.com/\(guid), Basic realm=\"x\"",
            ])),
            .success(HTTPResponse(status: 401, headers: ["x-vss-resourcetenant": "00000000-0000-0000-0000-000000000000"])),
            .success(HTTPResponse(status: 404)),
        ])
        #expect(await TenantDiscovery.tenant(of: "contoso", server: "https://dev.azure.com", transport: answers) == guid)
        #expect(await TenantDiscovery.tenant(of: "contoso", server: "https://dev.azure.com", transport: answers)
            == "organizations")
        #expect(await TenantDiscovery.tenant(of: "contoso", server: "https://dev.azure.com", transport: answers)
            == "organizations")
        #expect(await TenantDiscovery.tenant(of: "contoso", server: "https://dev.azure.com", transport: answers)
            == "organizations", "a transport failure")
        #expect(answers.sent.map(\.description) == Array(repeating: "HEAD https://dev.azure.com/contoso", count: 4))
    }
}
