import AzdoCredential
import AzdoSystem
import AzdoTestSupport
import Foundation
import Testing

/// Every PAT API failure of the emulator, forced through its control endpoint, against the
/// built executable: one clear line, exit 1, and the stored PAT untouched and still used by git.
@Suite("PAT API failures keep the stored PAT", .privateKeyring)
struct LifecycleFailureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var fault: String
        var expected: String
        var testDescription: String { fault }
    }

    static let cases: [Case] = [
        // Three answers because the client tries three times before giving up on transient failures.
        Case(fault: "kind=throttle&retry-after=1&count=3", expected: "throttling requests (HTTP 429); try again after 1 s"),
        Case(fault: "kind=server-error&count=3", expected: "internal error (HTTP 500); try again later"),
        Case(fault: "kind=slow&seconds=4&count=3", expected: "could not reach Azure DevOps (the request timed out, 3 attempts)"),
        Case(fault: "kind=reset&count=3", expected: "could not reach Azure DevOps (the connection failed: "),
        Case(fault: "kind=sign-in-page", expected: "did not accept the Microsoft Entra sign-in; run `git credential-azdo login`"),
        // Followed, the redirect would lead off loopback and fail as unreachable.
        Case(fault: "kind=sign-in-redirect", expected: "did not accept the Microsoft Entra sign-in; run `git credential-azdo login`"),
        Case(fault: "kind=unauthorized", expected: "did not accept the Microsoft Entra sign-in; run `git credential-azdo login`"),
        Case(fault: "kind=forbidden", expected: "refused the request (HTTP 403)"),
        Case(fault: "kind=truncated-json", expected: "not the documented JSON"),
        Case(fault: "kind=malformed-json", expected: "not the documented JSON"),
        Case(fault: "kind=token-error&code=accessDenied", expected: "the PAT API reported accessDenied"),
        Case(fault: "kind=token-error&code=somethingNew", expected: "the PAT API reported somethingNew"),
    ]

    @Test("pat extend under an injected failure", arguments: cases)
    func extendFails(_ failure: Case) async throws {
        let organization = uniqueOrganization("fault")
        let repository = "\(organization)/p/_git/r"
        var world = try EmulatorWorld(repositories: [repository])
        world.environment["GIT_CREDENTIAL_AZDO_HTTP_TIMEOUT"] = "1"
        try await world.signInAndCreate(organization)
        let before = try world.stored(organization)
        #expect(before.count == 1)

        try await world.control("fault?\(failure.fault)")
        let extend = try world.cli(["pat", "extend", "--org", organization, "--days", "60"])
        #expect(extend.status == 1)
        #expect(extend.standardOutput.isEmpty)
        #expect(extend.errorLines.count == 1, "\(extend.standardError)")
        #expect(extend.standardError.hasPrefix("git-credential-azdo: "))
        #expect(extend.standardError.contains(failure.expected), "\(extend.standardError)")

        #expect(try world.stored(organization) == before)
        let clone = try world.sandbox.git(["clone", "-q", "http://\(world.server.host)/\(repository)", "work"])
        #expect(clone.status == 0, "\(clone.standardError)")
        #expect(world.sandbox.promptCount == 0)
    }

    @Test("revoke and create refused by the API leave the stored PAT in place")
    func revokeAndCreateFail() async throws {
        let organization = uniqueOrganization("keep")
        let world = try EmulatorWorld(repositories: [])
        try await world.signInAndCreate(organization)
        let before = try world.stored(organization)

        try await world.control("fault?kind=server-error&count=3")
        let revoke = try world.cli(["pat", "revoke", "--org", organization])
        #expect(revoke.status == 1)
        #expect(revoke.errorLines.count == 1)
        #expect(try world.stored(organization) == before)

        try await world.control("policy?disable-creation=true")
        #expect(try world.sandbox.git(["config", "--global", "azdo.autoFallback", "false"]).status == 0)
        let create = try world.cli(["pat", "create", "--org", organization])
        #expect(create.status == 1)
        #expect(create.errorLines == [
            "git-credential-azdo: the PAT API reported disablePatCreationPolicyViolation: Your organization has "
                + "restricted personal access token creation. Contact your administrator.; the organization forbids "
                + "creating PATs; `git config --global azdo.ORGANIZATION.credentialType oauth` makes git use Microsoft "
                + "Entra tokens there instead"
        ])
        #expect(try world.stored(organization) == before)

        try await world.control("policy?forbid-full-scope=true")
        let full = try world.cli(["pat", "create", "--org", organization, "--scopes", "app_token"])
        #expect(full.status == 1)
        #expect(full.standardError.contains("fullScopePatPolicyViolation"))
        #expect(try world.stored(organization) == before)
    }

    @Test("a lifespan policy clamps the expiry, and the stored PAT records the clamped date")
    func lifespanClamped() async throws {
        let organization = uniqueOrganization("clamp")
        let world = try EmulatorWorld(repositories: [])
        try await world.control("policy?max-days=10")
        let login = try await world.login()
        #expect(login.status == 0)
        let create = try world.cli(["pat", "create", "--org", organization, "--days", "90"])
        #expect(create.status == 0, "\(create.standardError)")
        let validTo = try #require(world.stored(organization).first?.credential.metadata.validTo)
        let now = Int64(Date().timeIntervalSince1970)
        #expect(validTo <= now + 10 * 86_400 && validTo > now + 9 * 86_400)
        #expect(create.standardOutput.contains("valid until \(CivilDate.string(fromUnixSeconds: validTo))"))
    }
}
