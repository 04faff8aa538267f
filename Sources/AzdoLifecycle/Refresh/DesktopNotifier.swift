public import AzdoSystem
internal import CAzdoSecret

/// Desktop notifications through `org.freedesktop.Notifications` on the session bus, via
/// the C shim (GDBus, no child process). Without a notification server (over SSH, in a
/// headless session) `notify` returns false and the caller's stderr line is all there is.
public struct DesktopNotifier: Notifier {
    private let timeoutMilliseconds: Int32

    /// Creates a notifier whose calls give up after `timeoutMilliseconds`.
    public init(timeoutMilliseconds: Int32 = 2_000) {
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// Shows `notification` as coming from "git-credential-azdo".
    public func notify(_ notification: UserNotification) -> Bool {
        var error = CAzdoSecretError(status: CAZDO_SECRET_OK, message: nil)
        defer { CAzdoSecret_error_clear(&error) }
        var id: UInt32 = 0
        let status = CAzdoSecret_notify(
            "git-credential-azdo", notification.summary, notification.body, notification.urgency.rawValue,
            timeoutMilliseconds, &id, &error)
        return status == CAZDO_SECRET_OK
    }
}
