import AzdoCredential
import AzdoTestSupport
import Foundation
import Synchronization
import Testing

@Suite("get's expiry reminder")
struct ExpiryReminderTests {
    let now: Int64 = 1_767_225_600  // 2026-01-01
    let directory: String

    init() throws {
        directory = try TestPaths.temporaryDirectory("state").path + "/git-credential-azdo"
    }

    func reminder(warnDays: Int64 = 7, directory: String? = nil) -> DailyExpiryReminder {
        DailyExpiryReminder(directory: directory ?? self.directory, warnDays: { warnDays })
    }

    @Test("inside the window once a day per organization and server; never outside it or once expired")
    func window() {
        let reminder = reminder()
        let server = "https://dev.azure.com"
        #expect(!reminder.shouldRemind(server: server, organization: "contoso", validTo: now + 8 * 86_400, now: now))
        #expect(!reminder.shouldRemind(server: server, organization: "contoso", validTo: now, now: now))
        #expect(reminder.shouldRemind(server: server, organization: "contoso", validTo: now + 7 * 86_400, now: now))
        #expect(!reminder.shouldRemind(server: server, organization: "contoso", validTo: now + 7 * 86_400, now: now + 3_600))
        #expect(reminder.shouldRemind(server: server, organization: "fabrikam", validTo: now + 86_400, now: now))
        #expect(reminder.shouldRemind(server: "https://proxy", organization: "contoso", validTo: now + 86_400, now: now))
        #expect(reminder.shouldRemind(server: server, organization: "contoso", validTo: now + 7 * 86_400, now: now + 86_400))
        let ledger = String(decoding: FileManager.default.contents(atPath: directory + "/reminded") ?? Data(), as: UTF8.self)
        #expect(ledger == "\((now + 86_400) / 86_400) \(server) contoso\n", "only today's reminders are kept")
    }

    @Test("azdo.warnDays widens or closes the window; the window is read only for PATs close to expiry")
    func configuredWindow() throws {
        let other = try TestPaths.temporaryDirectory("state").path
        #expect(reminder(warnDays: 14).shouldRemind(server: "s", organization: "o", validTo: now + 13 * 86_400, now: now))
        #expect(!reminder(warnDays: 0, directory: other).shouldRemind(server: "s", organization: "o", validTo: now + 3_600, now: now))
        let asked = DailyExpiryReminder(directory: directory, warnDays: { Issue.record("read the config"); return 7 })
        #expect(!asked.shouldRemind(server: "s", organization: "o", validTo: now + 90 * 86_400, now: now))
    }

    @Test("the window is read from config at most once a day, however often get runs")
    func windowReadOncePerDay() {
        let reads = Mutex(0)
        let reminder = DailyExpiryReminder(directory: directory, warnDays: { reads.withLock { $0 += 1 }; return 7 })
        for hour in 0..<5 {
            _ = reminder.shouldRemind(server: "s", organization: "o", validTo: now + 30 * 86_400, now: now + Int64(hour) * 3_600)
        }
        #expect(reads.withLock { $0 } == 1)
        #expect(!reminder.shouldRemind(server: "s", organization: "o", validTo: now + 30 * 86_400, now: now + 86_400))
        #expect(reads.withLock { $0 } == 2, "a new day reads it again")
        #expect(reminder.shouldRemind(server: "s", organization: "o", validTo: now + 8 * 86_400, now: now + 2 * 86_400))
        #expect(reads.withLock { $0 } == 3)
    }

    @Test("without a usable state directory it still reminds (it cannot remember, so it may repeat)")
    func noDirectory() {
        let reminder = DailyExpiryReminder(directory: "/proc/none/git-credential-azdo", warnDays: { 7 })
        #expect(reminder.shouldRemind(server: "s", organization: "o", validTo: now + 86_400, now: now))
        #expect(reminder.shouldRemind(server: "s", organization: "o", validTo: now + 86_400, now: now))
    }

    @Test("get prints the reminder on stderr, with the PAT's name, the date and the fix; stdout is unchanged")
    func getReminds() {
        let fixture = HelperFixture(now: now, reminder: reminder())
        fixture.store.seed(StoredCredential(
            server: RemoteTarget.azureDevOpsServer, organization: "contoso", username: "contoso", secret: Secret("pat"),
            metadata: PATMetadata(
                source: .created, storedAt: 1, validTo: now + 3 * 86_400 + 60, authorizationID: "id",
                displayName: "git-credential-azdo on vm")))
        fixture.seed("fabrikam", secret: "typed", validTo: now + 3_600)
        let input = Array("protocol=https\nhost=dev.azure.com\npath=contoso/p/_git/r\n\n".utf8)
        let first = fixture.program.run(.get, input: input)
        #expect(first.standardOutput == "username=contoso\npassword=pat\npassword_expiry_utc=\(now + 3 * 86_400 + 60)\n")
        #expect(fixture.sink.lines == [
            "the PAT for contoso ('git-credential-azdo on vm') expires on 2026-01-04, in 3 days; "
                + "`git credential-azdo refresh` renews it now"
        ])
        #expect(fixture.program.run(.get, input: input) == first)
        #expect(fixture.sink.lines.count == 1, "once a day")
        _ = fixture.program.run(.get, input: Array("protocol=https\nhost=dev.azure.com\npath=fabrikam/p\n\n".utf8))
        #expect(fixture.sink.lines.last == "the PAT for fabrikam expires on 2026-01-01, within a day; "
            + "replace it with `git credential-azdo pat create --org fabrikam`")
    }
}
