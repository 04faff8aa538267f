import AzdoCredential
import AzdoKeyring
import AzdoTestSupport
import Foundation
import Synchronization
import Testing

@Suite("Reading while another writer replaces the PAT", .privateKeyring)
struct ReplaceRaceTests {
    @Test("every lookup during 150 replacements finds a PAT, the old or the new one, and never fails", .heavyKeyringLoad)
    func lookupsNeverFail() async throws {
        let organization = uniqueOrganization("race")
        // What is tested is that a lookup never misses or fails, not how fast the keyring
        // answers while the rest of the suite also uses it: hence the long timeouts.
        let writer = SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)
        try writer.add(credential(organization, secret: "pat-0", storedAt: 0))
        let done = Atomic<Bool>(false)
        defer { done.store(true, ordering: .releasing) }
        let started = Atomic<Bool>(false)
        // The reader loops on a thread of its own: as a task it would hold one of the test
        // runner's few threads until the writer, which may be waiting for a thread, finishes.
        let reader = OnThread { () -> (lookups: Int, failures: [String]) in
            let store = SecretServiceStore(timeoutMilliseconds: TestKeyring.timeoutMilliseconds)
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
                started.store(true, ordering: .releasing)
                // A breath between lookups leaves the shared keyring to the other tests too.
                usleep(1_000)
            }
            return (lookups, failures)
        }
        // Let the reader start before the first replacement.
        while !started.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
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

    /// Six loops of `get`, each run a new helper process (a new client of the Secret
    /// Service), while another loop stores and erases the PAT `$1` times. Prints the number
    /// of gets, then the gets' stderr.
    private static let churnScript = """
        helper=$0 cycles=$1 errors=$(mktemp)
        input='protocol=https\nhost=dev.azure.com\npath=churn/p/_git/r\n'
        ( for i in $(seq "$cycles"); do
            printf "${input}username=u\npassword=pat-$i\n\n" | "$helper" store
            printf "${input}username=u\npassword=pat-$i\n\n" | "$helper" erase
          done ) &
        writer=$!
        for reader in 1 2 3 4 5 6; do
          ( n=0; while kill -0 "$writer" 2>/dev/null; do
              printf "$input\n" | "$helper" get >/dev/null 2>>"$errors"; n=$((n + 1))
            done; echo "$n" ) > "$errors.$reader" &
        done
        wait
        cat "$errors".? | awk '{ total += $1 } END { print total }'
        cat "$errors"
        """

    @Test("new helper processes reading while another stores and erases: no get ever fails", .keyringTools, .heavyKeyringLoad)
    func newClientsDuringChurn() throws {
        // 200 cycles found gnome-keyring's new-client race in 3 runs of 3; the other services
        // store and erase through prompts, several times slower, and get half as many.
        let cycles = KeyringSession.service == .gnomeKeyring ? 200 : 100
        let result = try KeyringSession.run(
            .unlocked, ["bash", "-c", Self.churnScript, TestPaths.helper.path, String(cycles)])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        let gets = try #require(lines.first.flatMap { Int($0) })
        #expect(gets >= cycles / 2, "\(gets) gets ran")
        #expect(lines.dropFirst().isEmpty, "failed gets: \(Set(lines.dropFirst()))")
    }
}
