import AzdoCredential
import AzdoKeyring
import AzdoTestSupport
import Foundation
import Testing

func credential(
    _ organization: String, user: String = "alice", secret: String, storedAt: Int64 = 1_000,
    validTo: Int64? = nil
) -> StoredCredential {
    StoredCredential(
        server: RemoteTarget.azureDevOpsServer, organization: organization, username: user, secret: Secret(secret),
        metadata: PATMetadata(source: .typed, storedAt: storedAt, validTo: validTo))
}

@Suite("Secret Service store against a real Secret Service", .privateKeyring)
struct SecretServiceStoreTests {
    let store = SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)

    @Test("an added PAT comes back with every attribute and git's refresh token, and only for its organization")
    func roundTrip() throws {
        let organization = uniqueOrganization("roundtrip")
        let other = uniqueOrganization("other")
        var full = credential(organization, secret: "pat-ÄÖ-\(organization)", validTo: 4_000_000_000)
        full.metadata = PATMetadata(
            source: .created, storedAt: 1_700_000_000, validTo: 4_000_000_000, validFrom: 1_699_999_000,
            authorizationID: "2b7c9a51-0000-0000-0000-000000000000", scope: "vso.code_write",
            displayName: "git-credential-azdo on host")
        full.oauthRefreshToken = Secret("refresh-\(organization)")
        try store.add(full)
        try store.add(credential(other, secret: "pat-\(other)"))

        let items = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
        #expect(items.map(\.credential) == [full])
        #expect(try store.credentials(server: "https://elsewhere.example", organization: organization).isEmpty)
        let others = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: other)
        #expect(others.map(\.credential.secret) == [Secret("pat-\(other)")])
    }

    @Test("one search returns 300 items with their own secrets (more calls than a bus lets one connection leave unanswered)",
        .heavyKeyringLoad)
    func manyItemsInOneSearch() throws {
        let organization = uniqueOrganization("many")
        let users = (0..<300).map { "user\($0)" }
        for user in users {
            try store.add(credential(organization, user: user, secret: "pat-\(user)"))
        }
        let items = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
        #expect(items.count == users.count)
        #expect(items.allSatisfy { $0.credential.secret == Secret("pat-\($0.credential.username)") })
        #expect(Set(items.map(\.credential.username)) == Set(users))
        for item in items { try store.remove(id: item.id) }
    }

    @Test("remove deletes exactly one item, and removing it again succeeds")
    func removeExactlyOne() throws {
        let organization = uniqueOrganization("remove")
        try store.add(credential(organization, user: "alice", secret: "one"))
        try store.add(credential(organization, user: "bob", secret: "two"))
        let items = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
        #expect(items.count == 2)
        let alice = try #require(items.first { $0.credential.username == "alice" })
        try store.remove(id: alice.id)
        try store.remove(id: alice.id)
        let left = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
        #expect(left.map(\.credential.username) == ["bob"])
    }

    @Test("items are real Secret Service items: secret-tool sees ours and we see its")
    func interoperatesWithSecretTool() throws {
        let organization = uniqueOrganization("interop")
        try store.add(credential(organization, secret: "ours-\(organization)"))
        let lookup = try ProcessRunner.secretTool(["lookup", "org", organization, "kind", "pat", "user", "alice"])
        #expect(lookup.status == 0)
        #expect(lookup.standardOutput == "ours-\(organization)")

        let second = uniqueOrganization("interop")
        let stored = try ProcessRunner.secretTool(
            [
                "store", "--label=test", "xdg:schema", "git-credential-azdo.Credential", "kind", "pat", "server",
                RemoteTarget.azureDevOpsServer, "org", second, "user", "carol", "stored_at", "5",
            ], input: "theirs")
        #expect(stored.status == 0)
        let items = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: second)
        #expect(items.map(\.credential.secret) == [Secret("theirs")])
        #expect(items.first?.credential.username == "carol")
        #expect(items.first?.credential.metadata.storedAt == 5)
    }

    @Test("the secret is never an attribute: attributes hold metadata only")
    func secretIsNotAnAttribute() throws {
        let organization = uniqueOrganization("attrs")
        try store.add(credential(organization, secret: "hidden-\(organization)", validTo: 4_000_000_000))
        let search = try ProcessRunner.secretTool(["search", "--all", "org", organization])
        let attributeLines = (search.standardOutput + search.standardError).split(separator: "\n")
            .filter { $0.hasPrefix("attribute.") }
        #expect(attributeLines.contains("attribute.valid_to = 4000000000"))
        #expect(!attributeLines.contains { $0.contains("hidden-") })
    }
}
