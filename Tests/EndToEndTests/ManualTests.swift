import AzdoTestSupport
import Foundation
import Testing

/// The manual (Packaging/man/git-credential-azdo.1) against the real command tree, as the
/// built executable describes it (`--experimental-dump-help`).
@Suite("The manual is in sync with the commands")
struct ManualTests {
    struct Command: Decodable {
        var commandName: String
        var arguments: [Argument]?
        var subcommands: [Command]?
    }

    struct Argument: Decodable {
        var names: [Name]?
    }

    struct Name: Decodable {
        var kind: String
        var name: String
    }

    struct Dump: Decodable {
        var command: Command
    }

    /// Every command path (`pat create`) with its long options.
    func commands() throws -> [(path: [String], options: [String])] {
        let dump = try ProcessRunner.run(TestPaths.helper, ["--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.standardError)")
        let root = try JSONDecoder().decode(Dump.self, from: Data(dump.standardOutput.utf8)).command
        var result: [(path: [String], options: [String])] = []
        func walk(_ command: Command, _ path: [String]) {
            let options = (command.arguments ?? []).flatMap { $0.names ?? [] }.filter { $0.kind == "long" }.map { "--" + $0.name }
            result.append((path, options))
            for child in command.subcommands ?? [] where child.commandName != "help" { walk(child, path + [child.commandName]) }
        }
        walk(root, [])
        return result
    }

    /// The manual's text with roff escapes undone (`\-` to `-`, font changes dropped).
    func manual() throws -> String {
        let roff = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("Packaging/man/git-credential-azdo.1"), encoding: .utf8)
        return roff.replacingOccurrences(of: "\\-", with: "-")
            .replacingOccurrences(of: #"\\f[BIRP]"#, with: "", options: .regularExpression)
    }

    @Test("every command and every one of its options is in the manual")
    func everyCommandAndOption() throws {
        let text = try manual()
        let commands = try commands()
        #expect(commands.count > 20)
        for (path, options) in commands where !path.isEmpty {
            let words = Set(text.split(whereSeparator: { !$0.isLetter && $0 != "-" }).map(String.init))
            for word in path { #expect(words.contains(word), "`\(path.joined(separator: " "))` is not in the manual") }
            for option in options {
                #expect(text.contains(option), "`\(path.joined(separator: " ")) \(option)` is not in the manual")
            }
        }
    }

    @Test("the manual renders without warnings", .enabled(if: ProcessRunner.isInstalled("groff"), "needs groff (groff-base)"))
    func renders() throws {
        let page = TestPaths.packageRoot.appendingPathComponent("Packaging/man/git-credential-azdo.1").path
        let result = try ProcessRunner.run(command: "groff", ["-man", "-Tutf8", "-ww", "-z", page])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty, "\(result.standardError)")
    }
}
