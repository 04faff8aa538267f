public import ArgumentParser
import AzdoCredential

extension ParsableCommand {
    /// Exits for `error` the way every failure here is reported: help and `--version` as
    /// usual; a usage error as one line naming the problem and the help to read (exit 64),
    /// instead of the parser's several lines of usage.
    public static func exitReportingOneLine(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        guard code != .success, !(error is ExitCode) else { exit(withError: error) }
        let message = self.message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "invalid arguments"
        let trimmed = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        let words = CommandLine.arguments.dropFirst().prefix { !$0.hasPrefix("-") }.prefix(2)
        StandardErrorSink().report(
            DisplayText.quoted(trimmed) + "; see `git credential-azdo " + (words.isEmpty ? "" : words.joined(separator: " ") + " ")
                + "--help`")
        exit(withError: ExitCode(code.rawValue))
    }
}
