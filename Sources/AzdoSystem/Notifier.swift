/// A message for the user outside the terminal, such as a desktop notification.
public struct UserNotification: Sendable, Equatable {
    /// How pressing the message is.
    public enum Urgency: Int32, Sendable {
        /// Informational.
        case low = 0
        /// Needs attention soon (a PAT expiring within the warning window).
        case normal = 1
        /// Needs attention now (a PAT expired, or renewal impossible without the user).
        case critical = 2
    }

    /// One short line.
    public var summary: String
    /// The details: what, when, and the one command that fixes it.
    public var body: String
    /// How pressing it is.
    public var urgency: Urgency

    /// Creates a notification.
    public init(summary: String, body: String, urgency: Urgency) {
        self.summary = summary
        self.body = body
        self.urgency = urgency
    }
}

/// Delivers notifications; the real one talks to `org.freedesktop.Notifications`.
public protocol Notifier: Sendable {
    /// Shows `notification`; false when nothing could show it (no desktop, no bus).
    @discardableResult
    func notify(_ notification: UserNotification) -> Bool
}
