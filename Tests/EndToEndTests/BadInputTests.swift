import AzdoTestSupport
import Foundation
import Testing

/// Bad input to every command people run: one clear line on stderr, nothing on stdout, and a
/// non-zero exit (git's own actions are covered by the helper's tests: they exit 0 for `get`).
@Suite("Bad input to every command")
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var input: [UInt8] = []
        var expected: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let binary: [UInt8] = (0..<4_096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }

    static let cases: [Case] = [
        Case(arguments: ["pat", "create"], expected: "Missing expected argument '--org <org>'"),
        Case(arguments: ["pat", "create", "--org", "contoso", "--days", "soon"], expected: "The value 'soon' is invalid for '--days <days>'"),
        Case(arguments: ["pat", "create", "--org", "contoso", "--days", "9999"], expected: "--days 9999 is out of range; give 1 to 366"),
        Case(arguments: ["pat", "list", "--org", "a/b?c"], expected: "The value 'a/b?c' is invalid for '--org <org>'"),
        Case(arguments: ["pat", "list", "--org", String(repeating: "x", count: 51)], expected: "is invalid for '--org <org>'"),
        Case(arguments: ["pat", "extend", "--org", ""], expected: "The value '' is invalid for '--org <org>'"),
        Case(arguments: ["pat", "scope", "--org", "contoso"], expected: "Missing expected argument '--scopes <scopes> ...'"),
        Case(arguments: ["pat", "revoke"], expected: "Missing expected argument '--org <org>'"),
        Case(arguments: ["pat", "import", "--org", "contoso"], expected: "no PAT on stdin"),
        Case(arguments: ["pat", "import", "--org", "contoso"], input: binary, expected: "the input is not a PAT"),
        Case(arguments: ["pat", "import", "--org", "contoso"], input: [0xFF, 0xFE, 0x80, 0x0A], expected: "the input is not a PAT"),
        Case(arguments: ["pat", "import", "--org", "contoso"], input: Array(repeating: 0x41, count: 2 << 20),
             expected: "the input's first line is over 4096 bytes"),
        Case(arguments: ["pat", "import", "--org", "contoso", "--expires", "tomorrow"], input: Array("x\n".utf8),
             expected: "--expires tomorrow is not a date"),
        Case(arguments: ["import"], expected: "Missing expected argument '--from <from>'"),
        Case(arguments: ["import", "--from", "keepass"], expected: "The value 'keepass' is invalid for '--from <from>'"),
        Case(arguments: ["login", "--org", "\u{FFFD}"], expected: "is invalid for '--org <org>'"),
        Case(arguments: ["login", "--browser", "--device-code"], expected: "--browser, --device-code and --azure-cli exclude each other"),
        Case(arguments: ["login", "--timeout", "0"], expected: "--timeout must be at least 1 second"),
        Case(arguments: ["status", "--bogus"], expected: "Unknown option '--bogus'"),
        Case(arguments: ["doctor", "now"], expected: "Unexpected argument 'now'"),
        Case(arguments: ["refresh", "--all"], expected: "Unknown option '--all'"),
        Case(arguments: ["refresher", "start"], expected: "Unexpected argument 'start'"),
        Case(arguments: ["configure", "--global"], expected: "Unknown option '--global'"),
        Case(arguments: ["unconfigure", "extra"], expected: "Unexpected argument 'extra'"),
        Case(arguments: ["get", "extra"], expected: "Unexpected argument 'extra'; see `git credential-azdo get --help`"),
        Case(arguments: ["pat", "nothing"], expected: "Unexpected argument 'nothing'; see `git credential-azdo pat --help`"),
        Case(arguments: ["--bogus"], expected: "Unknown option '--bogus'; see `git credential-azdo --help`"),
    ]

    @Test("one line naming the problem, nothing on stdout, a non-zero exit", arguments: cases)
    func refused(_ badInput: Case) throws {
        let home = try TestPaths.temporaryDirectory("bad-input")
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        environment["GIT_CREDENTIAL_AZDO_API_URL"] = "http://127.0.0.1:9"
        environment["GIT_CREDENTIAL_AZDO_AUTHORITY"] = "http://127.0.0.1:9"
        let result = try ProcessRunner.run(
            TestPaths.helper, badInput.arguments, input: String(decoding: badInput.input, as: UTF8.self),
            environment: environment)
        #expect(result.status != 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines.count == 1, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("git-credential-azdo: "))
        #expect(result.standardError.contains(badInput.expected), "\(result.standardError)")
    }
}
