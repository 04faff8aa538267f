import AzdoCredential
import AzdoKeyring
import AzdoTestSupport
import Foundation
import Testing

/// The refresher keeps the `login` sign-in alive and says when it has to be renewed by a
/// person, with the real keyring, the emulator and the notification stand-in.
@Suite("Keeping the sign-in alive", .privateKeyring, .notificationService)
struct SignInUpkeepTests {
    let keyring = SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)

    /// Makes the stored sign-in look `days` old (its refresh token unchanged).
    func age(_ world: EmulatorWorld, days: Int64) throws -> StoredRefreshToken {
        let tenant = try #require(world.environment["GIT_CREDENTIAL_AZDO_TENANT"])
        var stored = try #require(try keyring.refreshToken(authority: world.server.baseURL, tenant: tenant, clientID: clientID))
        stored.storedAt -= days * 86_400
        try keyring.removeRefreshToken(authority: world.server.baseURL, tenant: tenant, clientID: clientID)
        try keyring.saveRefreshToken(stored)
        return stored
    }

    let clientID = "872cd9fa-d31f-45e0-9eab-6e460a02d1f1"

    @Test("a week-old sign-in is redeemed by refresh and the rotated refresh token stored; a fresh one is left alone")
    func renewed() async throws {
        let world = try EmulatorWorld(repositories: [])
        #expect(try await world.login(["--device-code"]).status == 0)
        let fresh = try world.cli(["refresh"])
        #expect(!fresh.standardError.contains("sign-in"), "\(fresh.standardError)")
        #expect(try await world.refreshTokenRedemptions() == 0)

        let old = try age(world, days: 8)
        let refresh = try world.cli(["refresh"])
        #expect(refresh.status == 0, "\(refresh.standardError)")
        #expect(refresh.errorLines.contains("git-credential-azdo: sign-in (tenant \(old.tenant)): renewed, so Microsoft Entra keeps it"))
        #expect(try await world.refreshTokenRedemptions() == 1)
        let now = try #require(try keyring.refreshToken(authority: old.authority, tenant: old.tenant, clientID: clientID))
        #expect(now.token != old.token)
        #expect(now.storedAt > old.storedAt + 7 * 86_400)
        #expect(now.account == "emulated.user@contoso.example")
    }

    @Test("when Entra wants a new sign-in, refresh says so on every run but notifies once a day")
    func signInAgain() async throws {
        let world = try EmulatorWorld(repositories: [])
        #expect(try await world.login(["--device-code"]).status == 0)
        _ = try age(world, days: 8)
        try await world.control("conditional-access?require-interaction=true")
        let expected = "git-credential-azdo: sign in again: `git credential-azdo login` (Microsoft Entra no longer accepts "
            + "the stored sign-in: interaction_required)"
        for _ in 1...2 {
            let refresh = try world.cli(["refresh"])
            #expect(refresh.errorLines.contains(expected), "\(refresh.standardError)")
        }
        let notes = NotificationLog.entries(mentioning: "sign in again").filter { $0.summary == "Sign in again for Azure DevOps" }
        #expect(notes.count == 1)
        #expect(notes.first?.urgency == 2)
    }

    @Test("status shows the sign-in's account, tenant and renewal, and the organizations that use Entra tokens")
    func status() async throws {
        let world = try EmulatorWorld(repositories: [])
        #expect(try await world.login(["--device-code"]).status == 0)
        #expect(try world.sandbox.git(["config", "--global", "azdo.fabrikam.credentialType", "oauth"]).status == 0)
        let tenant = try #require(world.environment["GIT_CREDENTIAL_AZDO_TENANT"])
        let status = try world.cli(["status"])
        #expect(status.status == 0, "\(status.standardError)")
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        #expect(status.standardOutput.contains("sign-in: emulated.user@contoso.example (tenant \(tenant)), renewed \(today)\n"))
        #expect(status.standardOutput.hasSuffix("git gets Microsoft Entra tokens for: fabrikam\n"))
        let json = try world.cli(["status", "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let signIn = try #require(document["signIn"] as? [String: Any])
        #expect(signIn["method"] as? String == "entra")
        #expect(signIn["oauthOrganizations"] as? [String] == ["fabrikam"])
        #expect((signIn["accounts"] as? [[String: Any]])?.first?["account"] as? String == "emulated.user@contoso.example")
    }
}
