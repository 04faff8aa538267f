import AzdoAPI
import AzdoCredential
import AzdoTestSupport
import Foundation
import Testing
@testable import AzdoLifecycle
@testable import AzdoSetup

@Suite("status rows")
struct PATStatusTests {
    let now: Int64 = 1_795_392_000  // 2026-11-23
    let server = RemoteTarget.azureDevOpsServer

    func item(
        _ organization: String, secret: String, storedAt: Int64, validTo: Int64?, validFrom: Int64? = nil,
        id: String? = nil, name: String? = nil, source: CredentialSource = .created
    ) -> StoredItem {
        StoredItem(id: "\(organization)-\(storedAt)", credential: StoredCredential(
            server: server, organization: organization, username: organization, secret: Secret(secret),
            metadata: PATMetadata(
                source: source, storedAt: storedAt, validTo: validTo, validFrom: validFrom, authorizationID: id,
                scope: id == nil ? nil : "vso.code_write vso.work", displayName: name)))
    }

    @Test("each PAT's days, source and next step; '*' on the newest live one per organization; rotations dated")
    func rows() {
        let rows = PATStatus.rows([
            item("contoso", secret: "a", storedAt: now - 10, validTo: now + 20 * 86_400, validFrom: now - 10 * 86_400,
                 id: "1", name: "git-credential-azdo on vm #0a1b2c3d"),
            item("contoso", secret: "b", storedAt: now - 100, validTo: now + 2 * 86_400, id: "0", name: "older"),
            item("fabrikam", secret: "c", storedAt: now - 5, validTo: nil, source: .typed),
            item("tailspin", secret: "d", storedAt: now - 5, validTo: now - 86_400, source: .imported),
            item("wingtip", secret: "e", storedAt: now - 5, validTo: now + 3 * 86_400, source: .imported),
        ], settings: RefreshSettings(rotationDisabled: ["contoso"]), now: now)
        #expect(rows.map(\.organization) == ["contoso", "contoso", "fabrikam", "tailspin", "wingtip"])
        #expect(rows.map(\.usedByGit) == [true, false, true, false, true])
        #expect(rows[0].daysLeft == 20 && rows[0].scopes == ["vso.code_write", "vso.work"])
        #expect(rows[0].lastRotation == now - 10 && rows[1].lastRotation == nil)
        #expect(rows[0].next.summary == "warning from 2026-12-06 (rotation is off)")
        #expect(rows[2].next.action == "unknown-expiry")
        #expect(rows[3].daysLeft == -1 && rows[3].next.action == "expired")
        #expect(rows[4].next.summary == "warning now; replace with `pat create --org wingtip`")

        let rotating = PATStatus.rows(
            [item("contoso", secret: "a", storedAt: now, validTo: now + 30 * 86_400, validFrom: now, id: "1")],
            settings: RefreshSettings(), now: now)
        #expect(rotating[0].next == .init(action: "rotate", from: now + 23 * 86_400, summary: "regenerated from 2026-12-16"))
    }

    @Test("the JSON document has a version, every documented field, and no secret")
    func json() throws {
        let rows = PATStatus.rows(
            [item("contoso", secret: "SECRET-VALUE", storedAt: now, validTo: now + 86_400, id: "1", name: "n")],
            settings: RefreshSettings(), now: now)
        let text = StatusDocument(pats: rows, refresher: nil).json()
        #expect(!text.contains("SECRET-VALUE"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        let pat = try #require((object["pats"] as? [[String: Any]])?.first)
        #expect(Set(pat.keys) == [
            "server", "organization", "account", "displayName", "validTo", "daysLeft", "scopes", "source", "storedAt",
            "lastRotation", "usedByGit", "next", "global",
        ])
        #expect(pat["lastRotation"] is NSNull)
        #expect(object["refresher"] is NSNull)
        #expect(object["signIn"] is NSNull)
        #expect(Set((pat["next"] as? [String: Any] ?? [:]).keys) == ["action", "from", "summary"])
    }

    @Test("an oauth organization's PAT is kept until it expires; a global PAT is replaced; the sign-in is summed up")
    func oauthAndGlobal() {
        var settings = RefreshSettings()
        settings.credentialTypes.organizations["contoso"] = .oauth
        var globalItem = item("fabrikam", secret: "g", storedAt: now, validTo: now + 30 * 86_400)
        globalItem.credential.metadata.isGlobal = true
        let rows = PATStatus.rows(
            [item("contoso", secret: "a", storedAt: now, validTo: now + 30 * 86_400, id: "1"), globalItem],
            settings: settings, now: now)
        #expect(rows[0].next == .init(action: "oauth", from: nil, summary: "git gets Microsoft Entra tokens here; kept until it expires"))
        #expect(rows[1].global && rows[1].next.action == "replace-global")
        #expect(rows[1].next.summary.hasPrefix("global PAT (Azure DevOps stops accepting them on 2026-12-01)"))

        let signIn = SignInStatus(
            signIns: [StoredRefreshToken(
                authority: "a", tenant: "organizations", clientID: "c", token: Secret(""), storedAt: now,
                account: "ana@contoso.com")],
            settings: LifecycleSettings(), refreshSettings: settings)
        #expect(signIn.lines == [
            "sign-in: ana@contoso.com (tenant organizations), renewed 2026-11-23",
            "git gets Microsoft Entra tokens for: contoso",
        ])
        #expect(SignInStatus(signIns: [], settings: LifecycleSettings(signIn: .azureCLI), refreshSettings: RefreshSettings())
            .lines == ["sign-in: the Azure CLI's (azdo.signIn=azure-cli)"])
    }
}
