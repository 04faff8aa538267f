import ArgumentParser
import AzdoHelperCommands

#if canImport(Glibc)
import Glibc
#endif

// The sibling executable knows the whole command tree, so it answers for help and completions.
let wholeTreeOptions: Set<String> = ["-h", "--help", "help", "--generate-completion-script", "--experimental-dump-help"]
if let first = CommandLine.arguments.dropFirst().first, wholeTreeOptions.contains(first) { LifecycleForwarding.exec() }

if let action = CommandLine.arguments.dropFirst().first, !action.hasPrefix("-") {
    // Network commands live in a sibling executable, so git's calls never load that stack.
    if LifecycleForwarding.commands.contains(action) { LifecycleForwarding.exec() }
    // git may call helpers with actions added after this version; those must exit 0 silently.
    if !GitCredentialAzdo.commandNames.contains(action) { exit(0) }
}
do {
    var command = try GitCredentialAzdo.parseAsRoot()
    try command.run()
} catch {
    GitCredentialAzdo.exitReportingOneLine(error)
}
