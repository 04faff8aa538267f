import AzdoTestSupport
import Foundation
import Testing

/// `login` through the browser (authorization code with PKCE) against the emulator, with
/// `$BROWSER` set to `Tests/Support/fake-browser.py`, which plays the person's browser.
@Suite("login through the browser", .privateKeyring)
struct BrowserLoginTests {
    /// A world whose BROWSER is the fake browser in `mode`, its page saved in the sandbox.
    func world(mode: String) throws -> (world: EmulatorWorld, page: URL) {
        var world = try EmulatorWorld(repositories: [])
        let page = world.sandbox.home.appendingPathComponent("browser-page.txt")
        world.environment["BROWSER"] = TestPaths.supportScript("fake-browser.py").path
        world.environment["FAKE_BROWSER_MODE"] = mode
        world.environment["FAKE_BROWSER_PAGE"] = page.path
        return (world, page)
    }

    func page(_ file: URL) -> String { (try? String(contentsOf: file, encoding: .utf8)) ?? "" }

    /// Whether a refresh token was stored: `pat create` works only then.
    func signedIn(_ world: EmulatorWorld) throws -> Bool {
        try world.cli(["pat", "create", "--org", uniqueOrganization("after")]).status == 0
    }

    @Test("with $BROWSER set, login opens the page, takes the redirect on a loopback port and stores the sign-in")
    func success() throws {
        let (world, file) = try world(mode: "follow")
        let login = try world.cli(["login"])
        #expect(login.status == 0, "\(login.standardError)")
        #expect(login.standardOutput.isEmpty)
        #expect(login.standardError.contains("opened the sign-in page with \(TestPaths.supportScript("fake-browser.py").path)"))
        #expect(login.standardError.contains("/oauth2/v2.0/authorize?client_id="))
        #expect(!login.standardError.contains("code_verifier"))
        #expect(page(file).hasPrefix("200\n"))
        #expect(page(file).contains("Signed in."))
        #expect(try signedIn(world))
    }

    @Test("stray requests to the listener (a favicon, no state) are ignored; the real redirect still signs in")
    func strayRequests() throws {
        let (world, file) = try world(mode: "stray")
        let login = try world.cli(["login", "--browser"])
        #expect(login.status == 0, "\(login.standardError)")
        #expect(page(file).contains("Signed in."))
        #expect(try signedIn(world))
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var mode: String
        var authorize: String?
        var arguments: [String]
        var expected: String
        var testDescription: String { authorize ?? mode }
    }

    static let failures: [Failure] = [
        Failure(mode: "wrong-state", arguments: [], expected: "this command did not start (its state did not match)"),
        Failure(mode: "follow", authorize: "deny", arguments: [], expected: "the sign-in was declined in the browser"),
        Failure(
            mode: "follow", authorize: "consent-required", arguments: [],
            expected: "Microsoft Entra needs consent for this app that your account cannot give (consent_required)"),
        Failure(mode: "none", arguments: ["--timeout", "2"], expected: "the browser sign-in was not finished within 2 s"),
        // The sign-in page answers after 5 s: past the wait.
        Failure(
            mode: "follow", authorize: "approve&delay=5", arguments: ["--timeout", "2"],
            expected: "the browser sign-in was not finished within 2 s"),
    ]

    @Test("a wrong state, a denied or missing consent, and nobody signing in: one line, exit 1, nothing stored",
        arguments: failures)
    func failure(_ failure: Failure) async throws {
        let (world, _) = try world(mode: failure.mode)
        if let mode = failure.authorize { try await world.control("authorize?mode=\(mode)") }
        let login = try world.cli(["login"] + failure.arguments)
        #expect(login.status == 1)
        #expect(login.standardOutput.isEmpty)
        // The URL line, then the failure.
        #expect(login.errorLines.count == 2, "\(login.standardError)")
        #expect(login.errorLines.last?.contains(failure.expected) == true, "\(login.standardError)")
        #expect(try !signedIn(world))
    }

    @Test("at a terminal, the wait for the browser counts down on one redrawn line, erased before the result")
    func countdownAtTerminal() async throws {
        var (world, _) = try world(mode: "none")
        world.environment["TERM"] = "xterm"
        let output = try TestPaths.temporaryDirectory("pty").appendingPathComponent("output")
        #expect(FileManager.default.createFile(atPath: output.path, contents: nil))
        let login = try world.start(
            TestPaths.supportScript("pty-run.py"), [output.path, TestPaths.helper.path, "login", "--timeout", "2"])
        await world.finish(login, "login at a terminal")
        #expect(login.terminationStatus == 1)
        let text = String(decoding: try Data(contentsOf: output), as: UTF8.self)
        // 0:02 at first, unless the clock ticked between reading the deadline and the time left.
        let shown = ["0:02", "0:01"].filter { text.contains("\r\u{1B}[Kwaiting for the sign-in in the browser… (\($0) left)") }
        #expect(!shown.isEmpty, "\(text)")
        #expect(text.contains("\r\u{1B}[Kgit-credential-azdo: the browser sign-in was not finished within 2 s"), "\(text)")
    }

    @Test("Ctrl-C while login waits for the browser: one line, exit 1, nothing stored")
    func interrupted() async throws {
        let (world, _) = try world(mode: "none")
        let output = OutputBuffer()
        let login = try world.start(["login"], standardError: output.pipe)
        #expect(await output.wait(for: "open this URL", within: 120))
        kill(login.processIdentifier, SIGINT)
        await world.finish(login, "login after SIGINT")
        #expect(login.terminationReason == .exit && login.terminationStatus == 1)
        let text = await output.end(within: 10)
        #expect(text.hasSuffix("git-credential-azdo: the browser sign-in was stopped; nothing was stored\n"), "\(text)")
        #expect(try !signedIn(world))
    }

    @Test("where Conditional Access blocks device code, login --device-code names the browser sign-in, in one line")
    func conditionalAccess() async throws {
        let world = try EmulatorWorld(repositories: [])
        try await world.control("conditional-access?block-device-code=true")
        let login = try await world.login(["--device-code"])
        #expect(login.status == 1)
        let last = login.standardError.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.contains("Conditional Access blocks this sign-in (AADSTS53003)"), "\(login.standardError)")
        #expect(last.contains("`git credential-azdo login --browser`"))
        #expect(!login.standardError.contains("Trace ID"))
        #expect(try !signedIn(world))
    }

    @Test("when Entra wants an interactive sign-in again (AADSTS50076), pat and refresh say to run login; login fixes it")
    func interactionRequired() async throws {
        let organization = uniqueOrganization("mfa")
        let (world, _) = try world(mode: "follow")
        #expect(try world.cli(["login"]).status == 0)
        // Due for renewal, so the refresh below must sign in.
        try await world.createPAT(organization, daysLeft: 5)
        try await world.control("conditional-access?require-interaction=true")
        let list = try world.cli(["pat", "list", "--org", organization])
        #expect(list.status == 1)
        #expect(list.errorLines == [
            "git-credential-azdo: Microsoft Entra needs you to sign in again (interaction_required); run `git credential-azdo login`"
        ])
        let refresh = try world.cli(["refresh"])
        #expect(refresh.standardError.contains("sign in again (interaction_required); run `git credential-azdo login`"), "\(refresh.standardError)")

        try await world.control("conditional-access?require-interaction=false")
        #expect(try world.cli(["login"]).status == 0)
        #expect(try world.cli(["pat", "list", "--org", organization]).status == 0)
    }

    @Test("without $BROWSER or a desktop session login uses the device code; --device-code forces it")
    func deviceCodeFallback() async throws {
        var world = try EmulatorWorld(repositories: [])
        let plain = try await world.login()
        #expect(plain.status == 0, "\(plain.standardError)")
        #expect(plain.standardError.contains("enter the code"))
        #expect(!plain.standardError.contains("sign-in page"))

        world.environment["BROWSER"] = TestPaths.supportScript("fake-browser.py").path
        world.environment["FAKE_BROWSER_MODE"] = "none"
        let forced = try await world.login(["--device-code"])
        #expect(forced.status == 0, "\(forced.standardError)")
        #expect(forced.standardError.contains("enter the code"))
    }
}
