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

    /// Runs the helper's `$1` action with the script's stdin, its stderr going to file `$2`
    /// (apart from the session's own notices about the killed daemon); freezes the keyring
    /// daemon first and kills it (SIGKILL) 300 ms later, while the helper waits for its answer.
    private static let vanishingScript = """
        kill -STOP "$GIT_CREDENTIAL_AZDO_TEST_KEYRING_PID"
        (sleep 0.3; kill -KILL "$GIT_CREDENTIAL_AZDO_TEST_KEYRING_PID") &
        "$0" "$1" 2>"$2"; status=$?
        wait
        exit $status
        """

    /// The helper's stderr lines from a run of `vanishingScript`.
    private static func helperErrorLines(_ file: URL) throws -> [String] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test("the Secret Service dying in the middle of a get or a store: one line, and the stored PAT survives")
    func serviceDiesMidCall() throws {
        let data = try TestPaths.temporaryDirectory("dying-keyring")
        let stored = "protocol=https\nhost=dev.azure.com\npath=contoso/web/_git/site\nusername=contoso\npassword=KEPT\n\n"
        let first = try KeyringSession.run(.unlocked, data: data, [TestPaths.helper.path, "store"], input: stored)
        #expect(first.status == 0)

        for (action, input, status) in [("get", getInput, Int32(0)), ("store", storeInput, 1)] {
            let errors = data.appendingPathComponent("\(action).err")
            let result = try KeyringSession.run(
                .unlocked, data: data, ["bash", "-c", Self.vanishingScript, TestPaths.helper.path, action, errors.path],
                input: input)
            #expect(result.status == status, "\(action)")
            #expect(result.standardOutput.isEmpty, "\(action)")
            let lines = try Self.helperErrorLines(errors)
            #expect(lines.count == 1, "\(action): \(lines)")
            #expect(lines.first?.hasPrefix("git-credential-azdo: the Secret Service stopped before answering") == true)
        }

        // A new daemon on the same keyring files still has the PAT stored before.
        let after = try KeyringSession.run(.unlocked, data: data, [TestPaths.helper.path, "get"], input: getInput)
        #expect(after.status == 0)
        #expect(after.standardOutput == "username=contoso\npassword=KEPT\n")
    }
}
