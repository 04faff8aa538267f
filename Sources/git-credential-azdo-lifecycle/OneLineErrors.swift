import ArgumentParser
import AzdoSystem

extension ParsableCommand {
    /// Exits for `error` the way every failure here is reported: help and `--version` as
    /// usual; a usage error as one line naming the problem and the help to read (exit 64),
    /// instead of the parser's several lines of usage.
    static func exitReportingOneLine(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        guard code != .success, !(error is ExitCode) else { exit(withError: error) }
        let message = self.message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "invalid arguments"
        let trimmed = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        let words = commandPath(CommandLine.arguments.dropFirst())
        StandardErrorSink().report(
            DisplayText.quoted(trimmed) + "; see `git credential-azdo " + (words.isEmpty ? "" : words.joined(separator: " ") + " ")
                + "--help`")
        exit(withError: ExitCode(code.rawValue))
    }

    /// The leading arguments that name subcommands (`pat create`), so the hint points at
    /// help that exists; a stray argument (`get extra`) is not part of it.
    static func commandPath(_ arguments: ArraySlice<String>) -> [String] {
        var command: any ParsableCommand.Type = self
        var path: [String] = []
        for word in arguments {
            guard let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == word }) else { break }
            path.append(word)
            command = next
        }
        return path
    }
}
