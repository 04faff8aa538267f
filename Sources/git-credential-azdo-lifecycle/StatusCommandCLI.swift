import ArgumentParser
import AzdoAPI
import AzdoCredential
import AzdoKeyring
import AzdoLifecycle
import AzdoSetup
import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

extension LifecycleCommand {
    /// `status`: every stored PAT and what the refresher will do.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show every stored PAT: organization, account, name, expiry, scopes, source, what happens next.",
            discussion: """
                '*' marks the PAT git uses. Colours only on a terminal, and never with NO_COLOR set. \\
                --json prints {"version": 1, "pats": [...], "refresher": {...} or null, "signIn": {...}}; \
                each PAT has \\
                server, organization, account, displayName, validTo, daysLeft, scopes, source, \\
                storedAt, lastRotation, usedByGit and next {action, from, summary}. Times are Unix \\
                seconds; action is none, warn, rotate, expired, unknown-expiry, oauth or replace-global; \
                global marks a global (all-organization) PAT. signIn has method (entra or azure-cli), \
                accounts [{tenant, account, lastRenewal}], defaultCredentialType and oauthOrganizations. \
                The secret is never shown.
                """)

        @Flag(help: "Print the documented JSON instead of a table.") var json = false

        func run() throws {
            let keyring = SecretServiceStore.fromEnvironment()
            let items: [StoredItem]
            let signIns: [StoredRefreshToken]
            let lifecycle = LifecycleSettings.load(diagnostics: StandardErrorSink())
            do {
                items = try keyring.allCredentials()
                signIns = try keyring.signIns(authority: lifecycle.authority, clientID: lifecycle.clientID)
            } catch {
                throw LifecycleWiring.fail(error)
            }
            let settings = RefreshSettings.load()
            let rows = PATStatus.rows(items, settings: settings, now: SystemClock().now())
            let refresher = StateDirectory.path.flatMap(RefreshStatus.load(from:))
            let signIn = SignInStatus(signIns: signIns, settings: lifecycle, refreshSettings: settings)
            if json {
                print(StatusDocument(pats: rows, refresher: refresher, signIn: signIn).json())
                return
            }
            defer { for line in signIn.lines { print(line) } }
            guard !rows.isEmpty else {
                print("no PATs stored; run `git credential-azdo pat create --org ORG`, or clone and paste one at git's prompt")
                return
            }
            let color = isatty(1) == 1 && Environment.value("NO_COLOR").map(\.isEmpty) ?? true
                && Environment.value("TERM") != "dumb"
            let table = [["", "ORGANIZATION", "ACCOUNT", "PAT", "EXPIRES", "LEFT", "SCOPES", "SOURCE", "NEXT"]]
                + rows.map { row in
                    [
                        row.usedByGit ? "*" : " ", row.organization + (row.server == RemoteTarget.azureDevOpsServer ? "" : " (\(row.server))"),
                        row.account, row.displayName ?? "-", row.validTo.map(CivilDate.string(fromUnixSeconds:)) ?? "unknown",
                        row.daysLeft.map { "\($0)d" } ?? "-", row.scopes.isEmpty ? "-" : row.scopes.joined(separator: " "),
                        row.source, row.next.summary,
                    ]
                }
            let widths = (0..<table[0].count).map { column in table.map { $0[column].count }.max() ?? 0 }
            for (index, cells) in table.enumerated() {
                var line = zip(cells, widths).map { $0.padding(to: $1) }.joined(separator: "  ")
                while line.last == " " { line.removeLast() }
                if color, index > 0, let days = rows[index - 1].daysLeft {
                    if days < 0 {
                        line = "\u{1B}[31m" + line + "\u{1B}[0m"
                    } else if days <= settings.warnDays {
                        line = "\u{1B}[33m" + line + "\u{1B}[0m"
                    }
                }
                print(line)
            }
            if let refresher {
                print("last refresh: \(CivilDate.string(fromUnixSeconds: refresher.ranAt))"
                    + (refresher.needsAttention ? " (needs attention: `git credential-azdo refresher status`)" : " (all fine)"))
            }
        }
    }
}

extension String {
    /// Padded with spaces to `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
