import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

if let action = CommandLine.arguments.dropFirst().first, !action.hasPrefix("-") {
    // Network commands live in a sibling executable, so git's calls never load that stack.
    if LifecycleForwarding.commands.contains(action) { LifecycleForwarding.exec() }
    // git may call helpers with actions added after this version; those must exit 0 silently.
    if !GitCredentialAzdo.commandNames.contains(action) { exit(0) }
}
GitCredentialAzdo.main()
