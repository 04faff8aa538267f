@testable import AzdoLifecycle
import Testing

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
        #expect(TenantDiscovery.tenant(fromChallenge: "Basic authorization_uri=https://x/t") == nil)
    }
}
