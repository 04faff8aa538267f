import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

// git may call helpers with actions added after this version; those must exit 0 silently.
if let action = CommandLine.arguments.dropFirst().first, !action.hasPrefix("-"),
    !GitCredentialAzdo.commandNames.contains(action)
{
    exit(0)
}
GitCredentialAzdo.main()
