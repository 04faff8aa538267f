import AzdoCredential
import AzdoKeyring
import AzdoTestSupport
import Foundation
import Synchronization
import Testing

@Suite("Reading while another writer replaces the PAT", .privateKeyring)
struct ReplaceRaceTests {
    @Test("every lookup during 150 replacements finds a PAT, the old or the new one, and never fails")
    func lookupsNeverFail() async throws {
        let organization = uniqueOrganization("race")
        let writer = SecretServiceStore(timeoutMilliseconds: 5_000)
        try writer.add(credential(organization, secret: "pat-0", storedAt: 0))
        let done = Atomic<Bool>(false)
        let reader = Task.detached { () -> (lookups: Int, failures: [String]) in
            let store = SecretServiceStore(timeoutMilliseconds: 5_000)
            var lookups = 0
            var failures: [String] = []
            while !done.load(ordering: .acquiring) {
                lookups += 1
                do throws(KeyringError) {
                    let found = try store.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
                    if found.isEmpty { failures.append("no PAT") }
                } catch {
                    failures.append(error.description)
                }
            }
            return (lookups, failures)
        }
        // Let the reader start before the first replacement.
        try await Task.sleep(for: .milliseconds(20))
        for generation in 1...150 {
            try writer.replace(with: credential(organization, secret: "pat-\(generation)", storedAt: Int64(generation))) {
                _ in true
            }
        }
        done.store(true, ordering: .releasing)
        let result = await reader.value
        #expect(result.lookups > 50)
        #expect(result.failures.isEmpty, "\(result.failures.count) of \(result.lookups): \(Set(result.failures))")
        #expect(try writer.credentials(server: RemoteTarget.azureDevOpsServer, organization: organization)
            .map(\.credential.secret) == [Secret("pat-150")])
    }
}
