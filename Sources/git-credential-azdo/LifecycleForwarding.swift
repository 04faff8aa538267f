import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

/// Hands everything but git's own actions (see `HelperInvocation.forward`) to
/// `git-credential-azdo-lifecycle`, found next to this executable or in
/// `PREFIX/libexec/git-credential-azdo/` (see `InstalledExecutable.lifecycle`).
enum LifecycleForwarding {
    /// Replaces this process with the sibling, same arguments; exits 1 with one line if it is missing.
    static func exec() -> Never {
        let sibling = InstalledExecutable.lifecycle
        let argv = ([sibling] + CommandLine.arguments.dropFirst()).map { strdup($0) } + [nil]
        execv(sibling, argv)
        let message = "git-credential-azdo: cannot run \(sibling) (\(String(cString: strerror(errno)))); "
            + "reinstall git-credential-azdo\n"
        _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        exit(1)
    }
}
