public import AzdoSystem

/// Opens a URL in the person's browser, as freedesktop tools do: each command of `$BROWSER`
/// (a colon-separated list; `%s` stands for the URL, else it is the last argument), then
/// `xdg-open` in a desktop session, then `wslview`, `explorer.exe` or `cmd.exe /c start`
/// under WSL.
public struct BrowserOpener: Sendable {
    private let environment: [String: String]
    private let isWSL: Bool
    private let start: @Sendable ([String]) -> Bool

    /// An opener for `environment`; `isWSL` says whether this is Windows Subsystem for Linux;
    /// `start` starts a command without waiting for it (a seam for tests).
    public init(
        environment: [String: String], isWSL: Bool,
        start: @escaping @Sendable ([String]) -> Bool = ChildProcess.start
    ) {
        self.environment = environment
        self.isWSL = isWSL
        self.start = start
    }

    /// Whether some browser can be opened here: `$BROWSER`, a desktop session
    /// (`DISPLAY`/`WAYLAND_DISPLAY`) or WSL. Over SSH without forwarding there is none.
    public var canOpen: Bool { !candidates(for: "").isEmpty }

    /// Opens `url` with the first command that starts; the command's name, or nil.
    public func open(_ url: String) -> String? {
        candidates(for: url).first { start($0) }?.first
    }

    /// The commands to try, in order, each with the URL in place.
    func candidates(for url: String) -> [[String]] {
        var commands: [[String]] = []
        for entry in (environment["BROWSER"] ?? "").split(separator: ":") {
            let words = entry.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !words.isEmpty else { continue }
            commands.append(words.contains("%s") ? words.map { $0 == "%s" ? url : $0 } : words + [url])
        }
        let desktop = [environment["DISPLAY"], environment["WAYLAND_DISPLAY"]].contains { !($0 ?? "").isEmpty }
        if desktop { commands.append(["xdg-open", url]) }
        if isWSL {
            let start = ["/c", "start", Self.cmdEscaped(url)]
            // The full path serves WSL set up without Windows' PATH (`appendWindowsPath=false`).
            commands += [["wslview", url], ["explorer.exe", url], ["cmd.exe"] + start, [Self.windowsCmd] + start]
        }
        return commands
    }

    /// Where WSL mounts Windows' `cmd.exe`.
    static let windowsCmd = "/mnt/c/Windows/System32/cmd.exe"

    /// `url` for cmd.exe's command line, which would split it at `&` (the query's separator)
    /// and expand `%…%`: each character cmd.exe treats specially gets its `^` escape.
    static func cmdEscaped(_ url: String) -> String {
        var escaped = ""
        for character in url {
            if "^&|<>()%!\"".contains(character) { escaped.append("^") }
            escaped.append(character)
        }
        return escaped
    }

    /// Whether this Linux runs under WSL: its kernel release names Microsoft.
    public static func runningUnderWSL(environment: [String: String]) -> Bool {
        if !(environment["WSL_DISTRO_NAME"] ?? "").isEmpty { return true }
        let release = StateFile.read("/proc/sys/kernel/osrelease") ?? []
        return String(decoding: release, as: UTF8.self).lowercased().contains("microsoft")
    }
}
