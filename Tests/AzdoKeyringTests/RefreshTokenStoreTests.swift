import AzdoCredential
import AzdoKeyring
import AzdoTestSupport
import Foundation
import Testing

@Suite("Entra refresh tokens in a real gnome-keyring", .privateKeyring)
struct RefreshTokenStoreTests {
    let store = SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)
    let authority = "https://login.example.test"

    @Test("a saved refresh token comes back; a rotated one replaces it; remove signs out")
    func rotateAndRemove() throws {
        let tenant = uniqueOrganization("tenant")
        let first = StoredRefreshToken(
            authority: authority, tenant: tenant, clientID: "client", token: Secret("rt-1-\(tenant)"), storedAt: 10)
        try store.saveRefreshToken(first)
        #expect(try store.refreshToken(authority: authority, tenant: tenant, clientID: "client") == first)
        #expect(try store.refreshToken(authority: authority, tenant: tenant, clientID: "other") == nil)

        var rotated = first
        rotated.token = Secret("rt-2-\(tenant)")
        rotated.storedAt = 20
        try store.saveRefreshToken(rotated)
        #expect(try store.refreshToken(authority: authority, tenant: tenant, clientID: "client") == rotated)
        let lookup = try ProcessRunner.run(
            command: "secret-tool", ["search", "--all", "kind", "refresh_token", "tenant", tenant])
        let labels = lookup.standardOutput.split(separator: "\n").filter { $0.hasPrefix("label = ") }
        #expect(labels.count == 1, "exactly one refresh-token item remains")
        #expect(lookup.standardOutput.contains("secret = rt-2-\(tenant)"))
        #expect(!lookup.standardOutput.contains("rt-1-"))

        try store.removeRefreshToken(authority: authority, tenant: tenant, clientID: "client")
        #expect(try store.refreshToken(authority: authority, tenant: tenant, clientID: "client") == nil)
    }

    @Test("refresh tokens and PATs never mix")
    func keptApartFromPATs() throws {
        let tenant = uniqueOrganization("mix")
        try store.saveRefreshToken(StoredRefreshToken(
            authority: RemoteTarget.azureDevOpsServer, tenant: tenant, clientID: "c", token: Secret("rt"), storedAt: 1))
        #expect(try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: tenant).isEmpty)
    }
}
