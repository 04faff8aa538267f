import AzdoCredential
import AzdoKeyring
import AzdoTestSupport
import Foundation
import Testing

/// What every Secret Service must give the helper, run by `make test` against gnome-keyring,
/// KeePassXC and KWallet in turn (with the rest of the keyring matrix: SecretServiceStoreTests,
/// KeyringFailureTests, ReplaceRaceTests, RefreshTokenStoreTests, KeyringHelperTests and
/// GitCloneTests).
@Suite("Every Secret Service: the helper's own commands", .privateKeyring)
struct SecretServiceMatrixTests {
    let service = KeyringSession.service
    let store = SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)

    func input(_ organization: String, _ extra: String = "") -> String { credentialRequest(organization, extra) }

    @Test("store, get, a replacing store, erase: through the built helper, with nothing on stderr")
    func storeGetReplaceErase() throws {
        let organization = uniqueOrganization("cycle")
        let steps: [(String, String, String)] = [
            ("store", input(organization, "username=me\npassword=pat-1\n"), ""),
            ("get", input(organization), "username=me\npassword=pat-1\n"),
            ("store", input(organization, "username=me\npassword=pat-2\n"), ""),
            ("get", input(organization), "username=me\npassword=pat-2\n"),
            ("erase", input(organization, "username=me\npassword=pat-2\n"), ""),
            ("get", input(organization), ""),
        ]
        for (action, request, expected) in steps {
            let result = try ProcessRunner.run(TestPaths.helper, [action], input: request)
            #expect(result.status == 0, "\(action): \(result.standardError)")
            #expect(result.standardOutput == expected, "\(action)")
            #expect(result.standardError.isEmpty, "\(action): \(result.standardError)")
        }
        #expect(try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization).isEmpty)
    }

    @Test("two PATs stored with identical attributes (the same second) both land; the helper then keeps the newer")
    func sameSecondStores() throws {
        let organization = uniqueOrganization("second")
        for secret in ["pat-a", "pat-b"] {
            try store.add(StoredCredential(
                server: RemoteTarget.azureDevOpsServer, organization: organization, username: "me", secret: Secret(secret),
                metadata: PATMetadata(source: .typed, storedAt: 1_800_000_000)))
        }
        let both = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
        #expect(Set(both.map(\.credential.secret)) == [Secret("pat-a"), Secret("pat-b")], "no item replaced another")
        #expect(Set(both.map(\.id)).count == 2)

        let start = ContinuousClock.now
        for secret in ["pat-c", "pat-d"] {
            let result = try ProcessRunner.run(
                TestPaths.helper, ["store"], input: input(organization, "username=me\npassword=\(secret)\n"))
            #expect(result.status == 0, "\(result.standardError)")
        }
        // The bug this guards against (KeePassXC < 2.7.6 replacing an item) hung for the 5 s timeout.
        #expect(ContinuousClock.now - start < .seconds(60))
        let get = try ProcessRunner.run(TestPaths.helper, ["get"], input: input(organization))
        #expect(get.standardOutput == "username=me\npassword=pat-d\n")
        let left = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
        #expect(left.map(\.credential.secret) == [Secret("pat-d")], "the replaced PATs are gone")
    }

    @Test("lookups through libsecret (the fast client's fallback) find the same items and secrets")
    func libsecretPathAgrees() throws {
        let organization = uniqueOrganization("fallback")
        for user in ["ann", "bob"] {
            #expect(try ProcessRunner.run(
                TestPaths.helper, ["store"], input: input(organization, "username=\(user)\npassword=pat-\(user)\n")).status == 0)
        }
        let slow = SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds, calls: ShimSecretService(lookupsThroughLibsecret: true))
        let fast = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
        let fallback = try slow.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
        #expect(fast.count == 2)
        #expect(fast.sorted { $0.id < $1.id } == fallback.sorted { $0.id < $1.id })
        for item in fallback { try slow.remove(id: item.id) }
        #expect(try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization).isEmpty)
    }

    @Test("status lists a stored PAT and doctor names the service, without a secret in either")
    func statusAndDoctor() throws {
        let organization = uniqueOrganization("report")
        let sandbox = try GitSandbox(extraHosts: [])
        let stored = try sandbox.helper("store", input(organization, "username=me\npassword=pat-report\n"))
        #expect(stored.status == 0, "\(stored.standardError)")

        let status = try ProcessRunner.run(TestPaths.helper, ["status", "--json"], environment: sandbox.environment)
        #expect(status.status == 0, "\(status.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any]
        let pats = try #require(json?["pats"] as? [[String: Any]])
        #expect(pats.contains { $0["organization"] as? String == organization && $0["account"] as? String == "me" })

        let doctor = try ProcessRunner.run(TestPaths.helper, ["doctor", "--offline"], environment: sandbox.environment)
        let keyring = doctor.standardOutput.split(separator: "\n").first { $0.contains("keyring: ") }
        #expect(
            keyring?.hasPrefix("ok    keyring: Secret Service (\(service.provider.name)) reachable and unlocked") == true,
            "\(doctor.standardOutput)")
        #expect(doctor.standardOutput.contains("pat \(organization) (me): "), "\(doctor.standardOutput)")
        for output in [status.standardOutput, doctor.standardOutput, status.standardError, doctor.standardError] {
            #expect(!output.contains("pat-report"))
        }
    }
}
