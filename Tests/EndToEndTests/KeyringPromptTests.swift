import AzdoTestSupport
import Foundation
import Testing

/// States where a Secret Service answers with a prompt: KeePassXC with its own default
/// settings (every access and deletion needs a person), and kwalletd5 right after a login
/// (its wallet open, its collection reading Locked until someone asks to unlock it). Each in
/// a throwaway session of that service, through the built helper.
@Suite("Keyring prompts: KeePassXC's defaults and KWallet after login")
struct KeyringPromptTests {
    func input(_ extra: String = "") -> String { credentialRequest("contoso", extra) }

    /// Runs `helper store` for PAT-1, then `get` and `erase` as new processes, each timed; then
    /// lists the database's entries with keepassxc-cli (password "pw"). Prints, per step:
    /// `STEP STATUS MILLISECONDS`, then the step's stdout and stderr lines prefixed with `STEP:`.
    /// With `TEST_DISPLAY` set, the helper runs as on a desktop (the session unsets DISPLAY).
    static let keePassXCScript = #"""
        helper=$0 input='protocol=https\nhost=dev.azure.com\npath=contoso/p/_git/r\n'
        if [ -n "${TEST_DISPLAY:-}" ]; then export DISPLAY=$TEST_DISPLAY; fi
        step() {
          name=$1; shift
          start=$(date +%s%N)
          printf "$@" | "$helper" "$name" > "$SECRET_STEP_OUT" 2>&1; status=$?
          echo "$name $status $((($(date +%s%N) - start) / 1000000))"
          sed "s/^/$name: /" "$SECRET_STEP_OUT"
        }
        export SECRET_STEP_OUT=$(mktemp)
        step store "${input}username=contoso\npassword=PAT-1\n\n"
        step get "$input\n"
        step erase "$input\n"
        printf pw | keepassxc-cli ls -R -q "$XDG_DATA_HOME/Passwords.kdbx" 2>/dev/null | sed 's/^/entries: /'
        """#

    struct Step {
        var status: Int32
        var milliseconds: Int
        var lines: [String]
    }

    static func steps(_ output: String) -> [String: Step] {
        var steps: [String: Step] = [:]
        var order: [String] = []
        for line in output.split(separator: "\n").map(String.init) {
            let fields = line.split(separator: " ")
            if fields.count == 3, let status = Int32(fields[1]), let milliseconds = Int(fields[2]) {
                steps[String(fields[0])] = Step(status: status, milliseconds: milliseconds, lines: [])
                order.append(String(fields[0]))
            } else if let colon = line.firstIndex(of: ":") {
                steps[String(line[..<colon]), default: Step(status: 0, milliseconds: 0, lines: [])].lines
                    .append(String(line[line.index(colon, offsetBy: 2)...]))
            }
        }
        return steps
    }

    @Test(
        "KeePassXC with its defaults, headless: storing works; reading and deleting need a person, so each gives one line naming the setting after 3 s, and nothing is lost",
        .keyringTools(.keePassXCPrompts))
    func keePassXCDefaultsHeadless() throws {
        // With --data KeePassXC saves its database, which the script then lists.
        let data = try TestPaths.temporaryDirectory("keepassxc-defaults")
        let result = try KeyringSession.run(
            .unlocked, service: .keePassXCPrompts, data: data, ["bash", "-c", Self.keePassXCScript, TestPaths.helper.path])
        let steps = Self.steps(result.standardOutput)
        let store = try #require(steps["store"])
        #expect(store.status == 0 && store.lines.isEmpty, "\(store.lines)")

        let get = try #require(steps["get"])
        #expect(get.status == 0)
        #expect(get.lines.count == 1, "\(get.lines)")
        #expect(get.lines.first?.hasPrefix(
            "git-credential-azdo: KeePassXC asked for a person (access prompt) and nobody answered within 3 s") == true)
        #expect(get.lines.first?.contains("'Confirm when passwords are retrieved by clients'") == true)
        #expect(get.milliseconds >= 2_900, "the prompt had its bound")

        let erase = try #require(steps["erase"])
        #expect(erase.status == 1)
        #expect(erase.lines.count == 1, "\(erase.lines)")
        #expect(erase.lines.first?.contains("KeePassXC asked for a person") == true)

        let entries = try #require(steps["entries"])
        #expect(entries.lines.contains { $0.contains("Azure DevOps PAT for contoso (contoso)") }, "the PAT is still there")
    }

    @Test(
        "KeePassXC with its defaults on a desktop: the prompt waits azdo.keyringPromptTimeout, then one line",
        .keyringTools(.keePassXCPrompts))
    func keePassXCDefaultsOnADesktop() throws {
        let sandbox = try GitSandbox(extraHosts: [])
        _ = try sandbox.git(["config", "--global", "azdo.keyringPromptTimeout", "5"])
        var environment = sandbox.environment
        // An X display nobody answers on: KeePassXC itself runs offscreen in the session.
        environment["TEST_DISPLAY"] = ":99"
        let result = try KeyringSession.run(
            .unlocked, service: .keePassXCPrompts, ["bash", "-c", Self.keePassXCScript, TestPaths.helper.path],
            environment: environment)
        let get = try #require(Self.steps(result.standardOutput)["get"])
        #expect(get.lines.first?.hasPrefix(
            "git-credential-azdo: KeePassXC asked for a person (access prompt) and nobody answered within 5 s") == true,
            "\(get.lines)")
        #expect(get.milliseconds >= 4_900)
    }

    @Test(
        "KeePassXC with its defaults holds a search until its database is unlocked: headless, one line saying it is locked",
        .keyringTools(.keePassXCPrompts))
    func keePassXCHeldSearch() throws {
        let result = try KeyringSession.run(
            .locked, service: .keePassXCPrompts, [TestPaths.helper.path, "get"], input: input(),
            environment: ["GIT_CREDENTIAL_AZDO_KEYRING_TIMEOUT_MS": "1000"])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines.count == 1, "\(result.standardError)")
        #expect(result.standardError.hasPrefix(
            "git-credential-azdo: the keyring is locked (KeePassXC); unlock the database in KeePassXC"), "\(result.standardError)")
    }

    @Test(
        "KWallet right after login reads locked, and opens without a dialog: store, then get in a new session, with nothing on stderr",
        .keyringTools(.kWallet))
    func kWalletAfterLogin() throws {
        let data = try TestPaths.temporaryDirectory("kwallet-login")
        let store = try KeyringSession.run(
            .unlocked, service: .kWallet, data: data, [TestPaths.helper.path, "store"],
            input: input("username=contoso\npassword=PAT-K\n"))
        #expect(store.status == 0 && store.standardError.isEmpty, "\(store.standardError)")
        // A new login: the wallet is open, and its collection reads Locked=true again.
        let get = try KeyringSession.run(.unlocked, service: .kWallet, data: data, [TestPaths.helper.path, "get"], input: input())
        #expect(get.standardOutput == "username=contoso\npassword=PAT-K\n")
        #expect(get.standardError.isEmpty, "\(get.standardError)")
    }
}
