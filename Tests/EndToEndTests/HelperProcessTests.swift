import AzdoCredential
import AzdoSystem
import AzdoTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built executable's contract with git: stdout hygiene, exit codes, and silence for
/// what is not ours.
@Suite("The helper executable")
struct HelperProcessTests {
    @Test("unknown actions exit 0 and print nothing")
    func unknownActions() throws {
        for action in ["capability", "frobnicate", "list"] {
            let result = try ProcessRunner.run(TestPaths.helper, [action], input: "protocol=https\n\n")
            #expect(result.status == 0)
            #expect(result.standardOutput.isEmpty)
            #expect(result.standardError.isEmpty)
        }
    }

    /// The shared libraries a helper run loaded, by soname (`LD_DEBUG=files`), and its result.
    private func loadedLibraries(_ arguments: [String], input: String = "") throws -> (Set<String>, ProcessResult) {
        var environment = ProcessInfo.processInfo.environment
        environment["LD_DEBUG"] = "files"
        let result = try ProcessRunner.run(TestPaths.helper, arguments, input: input, environment: environment)
        let names = result.standardError.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "file=") else { return nil }
            return line[range.upperBound...].split(separator: " ").first.map(String.init)
        }
        return (Set(names), result)
    }

    @Test("glib is loaded only when the keyring is used: not for --version, another host's get, or an unknown action")
    func glibLoadsOnDemand() throws {
        for (arguments, input) in [(["--version"], ""), (["get"], "protocol=https\nhost=github.com\n\n"), (["capability"], "")] {
            let (loaded, result) = try loadedLibraries(arguments, input: input)
            #expect(result.status == 0)
            #expect(!loaded.isEmpty, "LD_DEBUG=files listed nothing: \(result.standardError)")
            #expect(loaded.isDisjoint(with: ["libgio-2.0.so.0", "libglib-2.0.so.0", "libsecret-1.so.0"]), "\(arguments)")
        }
    }

    @Test("a get that finds no PAT checks the lock with the fast client (no gio, no libsecret); a store loads libsecret", .privateKeyring)
    func keyringCallsLoadWhatTheyNeed() throws {
        let organization = "loads-\(UInt32.random(in: 0...UInt32.max))"
        let (getLoaded, get) = try loadedLibraries(
            ["get"], input: "protocol=https\nhost=dev.azure.com\npath=\(organization)/p/_git/r\n\n")
        #expect(get.status == 0)
        #expect(get.standardOutput.isEmpty)
        #expect(!getLoaded.isEmpty, "LD_DEBUG=files listed nothing: \(get.standardError)")
        #expect(getLoaded.isDisjoint(with: ["libgio-2.0.so.0", "libsecret-1.so.0"]), "\(getLoaded)")

        let (storeLoaded, store) = try loadedLibraries(
            ["store"], input: "protocol=https\nhost=dev.azure.com\npath=\(organization)/p/_git/r\nusername=u\npassword=p\n\n")
        #expect(store.status == 0)
        #expect(storeLoaded.contains("libsecret-1.so.0"))
        let erase = try ProcessRunner.run(
            TestPaths.helper, ["erase"], input: "protocol=https\nhost=dev.azure.com\npath=\(organization)/p/_git/r\n\n")
        #expect(erase.status == 0)
    }

    @Test("the helper forwards exactly the commands the lifecycle executable has, and both say the same version")
    func forwardedCommandsMatchTheTree() throws {
        let dump = try ProcessRunner.run(TestPaths.lifecycle, ["--experimental-dump-help"])
        #expect(dump.status == 0)
        struct Help: Decodable {
            struct Command: Decodable {
                var commandName: String
                var subcommands: [Command]?
            }
            var command: Command
        }
        let tree = try JSONDecoder().decode(Help.self, from: Data(dump.standardOutput.utf8))
        let names = Set((tree.command.subcommands ?? []).map(\.commandName))
        let helperOwned = Set(HelperProgram.Action.allCases.map(\.rawValue))
        #expect(names.union(["help"]) == HelperInvocation.forwardedCommands.union(helperOwned))

        let version = try ProcessRunner.run(TestPaths.helper, ["--version"])
        let lifecycleVersion = try ProcessRunner.run(TestPaths.lifecycle, ["--version"])
        #expect(version.status == 0)
        #expect(version.standardOutput == lifecycleVersion.standardOutput)
        #expect(version.standardOutput == GitCredentialAzdoVersion.current + "\n")
    }

    @Test("get for a host that is not Azure DevOps never connects to the session bus")
    func passThroughNeverTouchesDBus() throws {
        let directory = try TestPaths.temporaryDirectory("fake-bus")
        let path = directory.appendingPathComponent("bus").path
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        #expect(listen(listener, 8) == 0)
        _ = fcntl(listener, F_SETFL, O_NONBLOCK)

        var environment = ProcessInfo.processInfo.environment
        environment["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=\(path)"
        let result = try ProcessRunner.run(
            TestPaths.helper, ["get"], input: "protocol=https\nhost=github.com\npath=a/b\n\n", environment: environment)
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.isEmpty)
        #expect(accept(listener, nil, nil) == -1, "the helper connected to the bus for a non-Azure host")

        // The control case: an Azure host does reach the bus. This fake bus never answers
        // the handshake, which must time out rather than hang git.
        environment["GIT_CREDENTIAL_AZDO_KEYRING_TIMEOUT_MS"] = "300"
        let azure = try ProcessRunner.run(
            TestPaths.helper, ["get"], input: "protocol=https\nhost=dev.azure.com\npath=contoso/p\n\n",
            environment: environment)
        #expect(azure.status == 0)
        #expect(azure.standardOutput.isEmpty)
        #expect(azure.standardError.hasPrefix("git-credential-azdo: the Secret Service did not answer within 300 ms"))
        let accepted = accept(listener, nil, nil)
        #expect(accepted >= 0, "the Azure host's get did not reach the bus")
        if accepted >= 0 { close(accepted) }
    }

    @Test("invalid input: get exits 0 silently on stdout, store and erase exit 1; one line on stderr each")
    func invalidInput() throws {
        let inputs = [
            "protocol=https\nhost=dev.azure.com\npath=contoso\u{0}x\n\n",
            "protocol=https\nhost=dev.azure.com\npath=con\rtoso\n\n",
            "no equals sign\n\n",
            "password=" + String(repeating: "x", count: 70_000) + "\n\n",
            String(repeating: "k=v\n", count: 300_000),
        ]
        for input in inputs {
            for action in ["get", "store", "erase"] {
                let result = try ProcessRunner.run(TestPaths.helper, [action], input: input)
                #expect(result.status == (action == "get" ? 0 : 1))
                #expect(result.standardOutput.isEmpty)
                #expect(result.errorLines.count == 1)
                #expect(result.standardError.hasPrefix("git-credential-azdo: input refused"))
            }
        }
    }

    @Test("random bytes fed to get never produce output or a crash", arguments: 0..<4)
    func randomInputToGet(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let alphabet = Array("=\n\r\u{0}abc[]:/.é".utf8) + [0xFF, 0xC3]
        for _ in 0..<25 {
            let length = Int.random(in: 0..<300, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            let input = String(decoding: bytes, as: UTF8.self)
            let result = try ProcessRunner.run(TestPaths.helper, ["get"], input: input)
            #expect(result.status == 0)
            #expect(result.standardOutput.isEmpty)
        }
    }

    @Test("login and pat go to the sibling executable; without it, one line says what is missing")
    func lifecycleForwarding() throws {
        let help = try ProcessRunner.run(TestPaths.helper, ["pat", "--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("create"))
        let directory = try TestPaths.temporaryDirectory("lonely-helper")
        let copy = directory.appendingPathComponent("git-credential-azdo")
        try FileManager.default.copyItem(at: TestPaths.helper, to: copy)
        let result = try ProcessRunner.run(copy, ["pat", "list", "--org", "contoso"])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines == [
            "git-credential-azdo: cannot run \(directory.path)/../libexec/git-credential-azdo/git-credential-azdo-lifecycle "
                + "(No such file or directory); reinstall git-credential-azdo"
        ])
    }

    @Test("installed as make install lays it out (bin and libexec), the commands are found and units name bin/")
    func installedLayout() throws {
        let prefix = try TestPaths.temporaryDirectory("prefix")
        let bin = prefix.appendingPathComponent("bin"), libexec = prefix.appendingPathComponent("libexec/git-credential-azdo")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: libexec, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestPaths.helper, to: bin.appendingPathComponent("git-credential-azdo"))
        try FileManager.default.copyItem(
            at: TestPaths.lifecycle,
            to: libexec.appendingPathComponent("git-credential-azdo-lifecycle"))
        let home = try TestPaths.temporaryDirectory("prefix-home")
        let environment = ["HOME": home.path, "PATH": "/usr/bin:/bin"]
        let help = try ProcessRunner.run(bin.appendingPathComponent("git-credential-azdo"), ["pat", "--help"], environment: environment)
        #expect(help.status == 0 && help.standardOutput.contains("create"), "\(help.standardError)")
        _ = try ProcessRunner.run(bin.appendingPathComponent("git-credential-azdo"), ["refresher", "enable"], environment: environment)
        let service = try String(
            contentsOf: home.appendingPathComponent(".config/systemd/user/git-credential-azdo-refresh.service"), encoding: .utf8)
        #expect(service.contains("ExecStart=\(bin.path)/git-credential-azdo refresh\n"))
    }

    @Test("CI runs the keyring tests inside the private session instead of skipping them")
    func ciHasPrivateKeyring() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(KeyringSession.isPrivate, "CI must run the tests through Tests/Support/keyring-session.sh")
            #expect(NotificationLog.path != nil, "CI must start the notification service (keyring-session.sh --notifications)")
        }
    }
}
