/// The user's base directories as the XDG Base Directory specification names them: the
/// variable when it holds an absolute path, else its default under `HOME`.
public enum UserDirectories {
    /// `$XDG_CONFIG_HOME/relative`, else `~/.config/relative`; nil without either.
    public static func config(_ relative: String) -> String? {
        resolve("XDG_CONFIG_HOME", underHome: ".config", relative)
    }

    /// `$XDG_STATE_HOME/relative`, else `~/.local/state/relative`; nil without either.
    public static func state(_ relative: String) -> String? {
        resolve("XDG_STATE_HOME", underHome: ".local/state", relative)
    }

    private static func resolve(_ variable: String, underHome fallback: String, _ relative: String) -> String? {
        if let base = Environment.value(variable), base.hasPrefix("/") { return base + "/" + relative }
        guard let home = Environment.value("HOME"), home.hasPrefix("/") else { return nil }
        return home + "/" + fallback + "/" + relative
    }
}
