public import AzdoSystem

#if canImport(Glibc)
import Glibc
#endif

/// Extra hosts from `GIT_CREDENTIAL_AZDO_EXTRA_HOSTS` (comma- or space-separated) and
/// from `azdo.extraHost` in the user's global or system git config.
///
/// `git config --show-scope` tells where each value came from; values from a repository's
/// own config (or `-c`) are ignored with a warning, so a cloned repository can never make
/// the helper send a token to a host of its choosing. git is run only when a scan of its
/// config files finds the variable's name (`GitConfigScan`): a `get` for a host that is
/// not Azure DevOps then costs no child process, and git's answer is kept while the config
/// files stay the same (`ConfigAnswerCache`).
public struct ConfiguredExtraHosts: ExtraHostSource {
    /// The environment variable read for extra hosts.
    public static let environmentVariable = "GIT_CREDENTIAL_AZDO_EXTRA_HOSTS"
    /// The git config key read for extra hosts.
    public static let configKey = "azdo.extraHost"

    private let scan: GitConfigScan

    /// Creates the source; `scan` decides whether git needs to be asked at all.
    public init(scan: GitConfigScan = GitConfigScan()) {
        self.scan = scan
    }

    /// Parses every entry; malformed ones are reported and skipped.
    public func extraHosts(diagnostics: any DiagnosticSink) -> [ExtraHost] {
        var entries: [String] = []
        if let value = Environment.value(Self.environmentVariable) {
            entries += value.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        }
        // git runs once per config state: its answer is kept while the files stay the same.
        let configured = scan.mayContain(variable: "extrahost")
            ? UserGitConfig.parseValues(
                ConfigAnswerCache(fingerprint: scan.fingerprint()).output(of: UserGitConfig.valueArguments(Self.configKey)))
            : []
        for (scope, value) in configured {
            if UserGitConfig.isUserScope(scope) {
                entries.append(value)
            } else {
                diagnostics.report(
                    "ignoring \(Self.configKey)=\(DisplayText.quoted(value)) from \(scope) git config: only global or system config "
                        + "may add hosts (git config --global --add \(Self.configKey) HOST)")
            }
        }
        var hosts: [ExtraHost] = []
        for entry in entries where !entry.isEmpty {
            do throws(ExtraHostError) {
                hosts.append(try ExtraHost(parsing: entry))
            } catch {
                diagnostics.report(error.description)
            }
        }
        return hosts
    }
}
