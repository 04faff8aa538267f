import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a file in the state directory (`flock`): `refresh.lock`, so a timer
/// run and a manual run never rotate at once, and `access-token.lock`, so concurrent git
/// commands redeem the refresh token once. The kernel drops it when the process dies, so
/// a killed process never leaves a stale lock.
public final class StateLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The refresher's lock file.
    public static let refresh = "refresh.lock"
    /// The access-token renewal's lock file.
    public static let accessToken = "access-token.lock"

    /// Takes the lock on `name`; with `waiting`, waits until the holder lets go, else
    /// returns nil when another process holds it. Nil too when it cannot be opened.
    public static func acquire(in directory: String, name: String = refresh, waiting: Bool = false) -> StateLock? {
        guard StateDirectory.create(directory) else { return nil }
        let descriptor = open(directory + "/" + name, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        var locked = flock(descriptor, LOCK_EX | (waiting ? 0 : LOCK_NB)) == 0
        while !locked && waiting && errno == EINTR { locked = flock(descriptor, LOCK_EX) == 0 }
        guard locked else {
            close(descriptor)
            return nil
        }
        return StateLock(descriptor: descriptor)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
