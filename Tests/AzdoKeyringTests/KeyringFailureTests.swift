import AzdoCredential
import AzdoTestSupport
import Foundation
import Testing

/// Each broken-keyring state, in its own throwaway session, seen through the real helper.
@Suite("The helper on a broken keyring", .keyringTools)
struct KeyringFailureTests {
    let getInput = "protocol=https\nhost=dev.azure.com\npath=contoso/web/_git/site\n\n"
    /// Each broken state and the start of the message it must produce.
    static let brokenStates: [(KeyringSession.Mode, String)] = [
        (.noBus, "no D-Bus session bus"),
        (.noService, "no Secret Service on the session bus"),
        (.locked, "the keyring is locked"),
    ]

    let storeInput = "protocol=https\nhost=dev.azure.com\npath=contoso/web/_git/site\nusername=contoso\npassword=NEW\n\n"

    @Test(
        "get prints nothing, exits 0 and names the problem and the fix",
        arguments: Self.brokenStates)
    func getFailsOpen(mode: KeyringSession.Mode, message: String) throws {
        let result = try KeyringSession.run(mode, [TestPaths.helper.path, "get"], input: getInput)
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines.count == 1)
        #expect(result.standardError.hasPrefix("git-credential-azdo: \(message)"))
    }

    @Test(
        "store refuses with one line and a non-zero exit",
        arguments: Self.brokenStates)
    func storeFails(mode: KeyringSession.Mode, message: String) throws {
        let result = try KeyringSession.run(mode, [TestPaths.helper.path, "store"], input: storeInput)
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines.count == 1)
        #expect(result.standardError.hasPrefix("git-credential-azdo: \(message)"))
    }

    @Test("a locked keyring holding our PAT is reported as locked, and loses nothing")
    func lockedKeyringKeepsItsItems() throws {
        let data = try TestPaths.temporaryDirectory("keyring-data")
        let helper = TestPaths.helper.path
        let oldInput = storeInput.replacingOccurrences(of: "password=NEW", with: "password=OLD")
        let stored = try KeyringSession.run(.unlocked, data: data, [helper, "store"], input: oldInput)
        #expect(stored.status == 0)

        let get = try KeyringSession.run(.locked, data: data, [helper, "get"], input: getInput)
        #expect(get.standardOutput.isEmpty)
        #expect(get.standardError.contains("the keyring is locked"))
        let store = try KeyringSession.run(.locked, data: data, [helper, "store"], input: storeInput)
        #expect(store.status == 1)
        let erase = try KeyringSession.run(.locked, data: data, [helper, "erase"], input: getInput)
        #expect(erase.status == 1)

        let after = try KeyringSession.run(.unlocked, data: data, [helper, "get"], input: getInput)
        #expect(after.standardOutput == "username=contoso\npassword=OLD\n")
    }

    @Test("a hung Secret Service times out with its own message instead of blocking git")
    func hungServiceTimesOut() throws {
        let script = """
            kill -STOP "$GIT_CREDENTIAL_AZDO_TEST_KEYRING_PID"
            "$0" get; status=$?
            kill -CONT "$GIT_CREDENTIAL_AZDO_TEST_KEYRING_PID"
            exit $status
            """
        let result = try KeyringSession.run(
            .unlocked, ["bash", "-c", script, TestPaths.helper.path], input: getInput,
            environment: ["GIT_CREDENTIAL_AZDO_KEYRING_TIMEOUT_MS": "300"])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix("git-credential-azdo: the Secret Service did not answer within 300 ms"))
    }
}
