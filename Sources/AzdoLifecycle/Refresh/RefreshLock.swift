import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on `refresh.lock` in the state directory (`flock`), so a timer run and
/// a manual run never rotate at once. The kernel drops it when the process dies, so a
/// killed refresher never leaves a stale lock.
public final class RefreshLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Takes the lock without waiting; nil when another process holds it or it cannot be opened.
    public static func acquire(in directory: String) -> RefreshLock? {
        guard StateDirectory.create(directory) else { return nil }
        let descriptor = open(directory + "/refresh.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return RefreshLock(descriptor: descriptor)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
