import AzdoCredential
import AzdoTestSupport
import Foundation
import Testing

/// Each broken-keyring state, in its own throwaway session of the service under test (the
/// matrix in `make test` runs this suite against gnome-keyring, KeePassXC and KWallet),
/// seen through the real helper.
@Suite("The helper on a broken keyring", .keyringTools)
struct KeyringFailureTests {
    let getInput = "protocol=https\nhost=dev.azure.com\npath=contoso/web/_git/site\n\n"
    let storeInput = "protocol=https\nhost=dev.azure.com\npath=contoso/web/_git/site\nusername=contoso\npassword=NEW\n\n"
    let service = KeyringSession.service

    /// The start of the one line each service's locked state gives, or `nil` where it needs
    /// no person and so is not locked for the helper at all (kwalletd5 reopens the wallet).
    static func lockedMessage(_ service: TestSecretService) -> String? {
        switch service {
        case .gnomeKeyring: return "the keyring is locked (gnome-keyring); log in to the desktop"
        case .keePassXC, .keePassXCPrompts:
            return "KeePassXC asked for a person (unlock prompt) and nobody answered within 3 s, so it was dismissed; "
                + "unlock the database in KeePassXC"
        case .kWallet: return nil
        }
    }

    /// Each state with no bus or no service, and the start of its message.
    static let missingStates: [(KeyringSession.Mode, String)] = [
        (.noBus, "no D-Bus session bus"),
        (.noService, "no Secret Service on the session bus"),
    ]

    @Test("no bus or no service: get prints nothing, exits 0 and names the problem and the fix", arguments: Self.missingStates)
    func getFailsOpen(mode: KeyringSession.Mode, message: String) throws {
        let result = try KeyringSession.run(mode, [TestPaths.helper.path, "get"], input: getInput)
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines.count == 1)
        #expect(result.standardError.hasPrefix("git-credential-azdo: \(message)"))
    }

    @Test("no bus or no service: store refuses with one line and a non-zero exit", arguments: Self.missingStates)
    func storeFails(mode: KeyringSession.Mode, message: String) throws {
        let result = try KeyringSession.run(mode, [TestPaths.helper.path, "store"], input: storeInput)
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines.count == 1)
        #expect(result.standardError.hasPrefix("git-credential-azdo: \(message)"))
    }

    @Test("a locked keyring holding our PAT: one line naming the service (or an unlock without a person), and nothing lost")
    func lockedKeyringKeepsItsItems() throws {
        let data = try TestPaths.temporaryDirectory("keyring-data")
        let helper = TestPaths.helper.path
        let oldInput = storeInput.replacingOccurrences(of: "password=NEW", with: "password=OLD")
        let stored = try KeyringSession.run(.unlocked, data: data, [helper, "store"], input: oldInput)
        #expect(stored.status == 0, "\(stored.standardError)")

        let get = try KeyringSession.run(.locked, data: data, [helper, "get"], input: getInput)
        let store = try KeyringSession.run(.locked, data: data, [helper, "store"], input: storeInput)
        let erase = try KeyringSession.run(.locked, data: data, [helper, "erase"], input: getInput)
        if let message = Self.lockedMessage(service) {
            #expect(get.status == 0)
            #expect(get.standardOutput.isEmpty)
            for result in [get, store, erase] {
                #expect(result.errorLines.count == 1)
                #expect(result.standardError.hasPrefix("git-credential-azdo: \(message)"), "\(result.standardError)")
            }
            #expect(store.status == 1)
            #expect(erase.status == 1)
            let after = try KeyringSession.run(.unlocked, data: data, [helper, "get"], input: getInput)
            #expect(after.standardOutput == "username=contoso\npassword=OLD\n")
        } else {
            // kwalletd5 reopens a closed wallet without a dialog: everything just works.
            #expect(get.standardOutput == "username=contoso\npassword=OLD\n", "\(get.standardError)")
            #expect(store.status == 0 && erase.status == 0, "\(store.standardError)\(erase.standardError)")
            #expect(get.standardError.isEmpty && store.standardError.isEmpty && erase.standardError.isEmpty)
            let after = try KeyringSession.run(.locked, data: data, [helper, "get"], input: getInput)
            #expect(after.standardOutput.isEmpty, "erase removed it")
        }
    }

    @Test("a hung Secret Service times out with one line naming it, instead of blocking git")
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
        #expect(result.errorLines.count == 1)
        #expect(
            result.standardError.hasPrefix("git-credential-azdo: \(service.provider.name) did not answer within 300 ms"),
            "\(result.standardError)")
    }

    /// Runs the helper's `$1` action with the script's stdin, its stderr going to file `$2`
    /// (apart from the session's own notices about the killed daemon). It freezes the keyring
    /// daemon, and kills it (SIGKILL) once the bus has passed it the helper's first call, which
    /// `dbus-monitor` shows: the helper is then waiting for the answer, however slow the
    /// machine. A helper that ends first is not waited for. SIGKILL for the monitor: a child of
    /// the test runner may inherit a mask that blocks SIGTERM.
    private static let vanishingScript = """
        kill -STOP "$GIT_CREDENTIAL_AZDO_TEST_KEYRING_PID"
        calls=$(mktemp)
        dbus-monitor --session "type=method_call,destination=org.freedesktop.secrets" >"$calls" 2>&1 & monitor=$!
        for _ in $(seq 3000); do grep -q "member=NameLost" "$calls" && break; sleep 0.01; done
        grep -q "member=NameLost" "$calls" || { echo "dbus-monitor did not start: $(cat "$calls")" >&2; kill -KILL $monitor; exit 98; }
        exec 3<&0
        "$0" "$1" <&3 2>"$2" & helper=$!
        while kill -0 $helper 2>/dev/null && ! grep -q "^method call.*destination=org.freedesktop.secrets" "$calls"; do
          sleep 0.01
        done
        kill -KILL "$GIT_CREDENTIAL_AZDO_TEST_KEYRING_PID"
        wait $helper; status=$?
        kill -KILL $monitor; wait $monitor; rm -f "$calls"
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
