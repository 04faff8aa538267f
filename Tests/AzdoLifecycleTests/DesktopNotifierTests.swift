import AzdoLifecycle
import AzdoSystem
import AzdoTestSupport
import Foundation
import Testing

@Suite("Desktop notifications over the private session bus", .privateKeyring, .notificationService)
struct DesktopNotifierTests {
    @Test("a notification reaches org.freedesktop.Notifications with its summary, body and urgency")
    func delivered() {
        let marker = uniqueOrganization("notify")
        let shown = DesktopNotifier().notify(UserNotification(
            summary: "Azure DevOps PAT for \(marker) has expired", body: "run `git credential-azdo refresh` — ✓",
            urgency: .critical))
        #expect(shown)
        #expect(NotificationLog.entries(mentioning: marker) == [NotificationLog.Entry(
            app: "git-credential-azdo", summary: "Azure DevOps PAT for \(marker) has expired",
            body: "run `git credential-azdo refresh` — ✓", urgency: 2)])
    }
}
