import AzdoCredential
import AzdoKeyring
import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

switch HelperInvocation(arguments: Array(CommandLine.arguments.dropFirst())) {
case .action(let action):
    exit(action.runAgainstKeyring())
case .version:
    StandardStreams.write(GitCredentialAzdoVersion.current + "\n", to: 1)
    exit(0)
case .ignored:
    exit(0)
case .forward:
    LifecycleForwarding.exec()
}
