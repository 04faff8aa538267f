public import AzdoSystem

/// Switches an organization that forbids creating PATs to Microsoft Entra tokens for git
/// (`azdo.ORG.credentialType oauth`), so git keeps working there.
public protocol OAuthSwitch: Sendable {
    /// Records the switch for `organization`; the file it was written to.
    func switchToOAuth(organization: String) throws(ToolSettingsError) -> String
}

/// Writes the switch into the tool's own settings file (`ToolSettingsFile`), never into a
/// repository's config or the user's own `~/.gitconfig`.
public struct SettingsFileOAuthSwitch: OAuthSwitch {
    private let file: ToolSettingsFile?

    /// Writes into `file` (nil: there is no home to write in).
    public init(file: ToolSettingsFile? = ToolSettingsFile.user()) {
        self.file = file
    }

    /// Sets `azdo.ORG.credentialType oauth`.
    public func switchToOAuth(organization: String) throws(ToolSettingsError) -> String {
        guard let file else { throw .cannotWrite(path: "$XDG_CONFIG_HOME (neither it nor HOME is set)") }
        try file.set("azdo.\(organization).credentialType", "oauth")
        return file.path
    }
}

/// The lines that report a switch, or why there was none.
public enum OAuthFallbackReport {
    /// The organization was switched to `oauth`; `file` holds the setting.
    public static func switched(_ organization: String, file: String) -> String {
        "\(organization): the organization forbids creating PATs (disablePatCreationPolicyViolation), so git now "
            + "uses Microsoft Entra tokens for it (azdo.\(organization).credentialType=oauth in \(file); "
            + "`git config --global azdo.autoFallback false` turns this off)"
    }

    /// The organization forbids PATs and `azdo.autoFallback` is false.
    public static func notSwitched(_ organization: String) -> String {
        "\(organization): the organization forbids creating PATs (disablePatCreationPolicyViolation); "
            + "`git config --global azdo.\(organization).credentialType oauth` makes git use Microsoft Entra tokens "
            + "instead (azdo.autoFallback is false)"
    }
}
