#if canImport(Glibc)
import Glibc
#endif

/// A cheap, conservative answer to "could git's config set this key?", read from the
/// config files themselves instead of running `git config` (a 1.5 ms child process).
///
/// It reads the files git reads (system, global, the repository's own, and every file
/// they include, whatever the include's condition) and the config git passes in the
/// environment, and looks for the key's variable name as text, ignoring case. Finding it
/// proves nothing (it may be a comment or another section); not finding it proves the key
/// is unset, because git config names cannot be escaped or split. Whenever the scan cannot
/// be sure (a file it cannot read, an include it cannot follow, a linked worktree, a
/// `GIT_CONFIG` override) it answers "maybe", and the caller asks git.
public struct GitConfigScan: Sendable {
    /// The environment the scan reads (`HOME`, `XDG_CONFIG_HOME`, `GIT_CONFIG_*`, `GIT_DIR`).
    public var environment: @Sendable (String) -> String?
    /// The directory git was run in (where the repository's own config is found).
    public var workingDirectory: String?
    /// git's compiled-in system config file; `/etc/gitconfig` for Debian's git and every
    /// distribution's package of it.
    public var systemFile: String

    /// git's rule for how deep includes may nest.
    private static let maximumIncludeDepth = 10
    /// Files larger than this are not scanned (git config files are small).
    private static let maximumFileSize = 1 << 20

    /// Creates a scan of this process's environment and working directory.
    public init(
        environment: @escaping @Sendable (String) -> String? = { Environment.value($0) },
        workingDirectory: String? = GitConfigScan.currentDirectory(), systemFile: String = "/etc/gitconfig"
    ) {
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.systemFile = systemFile
    }

    /// Whether `variable` (a config variable name such as `extrahost`, without its section)
    /// may be set anywhere git would look; `false` only when it certainly is not.
    public func mayContain(variable: String) -> Bool {
        mayContain(anyOf: [variable])
    }

    /// Whether any of `variables` may be set anywhere git would look, in one pass over the
    /// files; `false` only when none certainly is.
    public func mayContain(anyOf variables: [String]) -> Bool {
        let needles = variables.map { Array($0.lowercased().utf8) }
        if environment("GIT_CONFIG") != nil { return true }
        guard let commandEntries = commandEntryNames() else { return true }
        for name in ["GIT_CONFIG_PARAMETERS"] + commandEntries {
            if let value = environment(name),
                Self.contains(Array(value.utf8), anyOf: needles) || value.lowercased().contains("include")
            {
                return true
            }
        }
        guard let files = startingFiles() else { return true }
        var visited: Set<String> = []
        for file in files where scan(file, needles: needles, depth: 0, visited: &visited) {
            return true
        }
        return false
    }

    /// A description of everything `git config` would read here: each file's path, device,
    /// inode, size and modification time (with nanoseconds), following every include, and
    /// the variables that choose the files. Equal fingerprints mean git would print the same
    /// entries, so a caller may keep git's answer under it. Nil whenever that cannot be
    /// promised: config passed in the environment, a conditional include (`includeIf`, which
    /// depends on the repository or branch), an include the scan cannot resolve, or a file it
    /// cannot read.
    public func fingerprint() -> String? {
        if environment("GIT_CONFIG") != nil || environment("GIT_CONFIG_PARAMETERS") != nil { return nil }
        guard commandEntryNames()?.isEmpty == true, let files = startingFiles() else { return nil }
        var parts = ["HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_DIR"]
            .map { "\($0)=\(environment($0) ?? "-")" }
        var visited: Set<String> = []
        for file in files {
            guard describe(file, depth: 0, visited: &visited, into: &parts) else { return nil }
        }
        // One line, so it can head the file that keeps git's answer.
        return parts.joined(separator: "\u{1F}")
    }

    /// Appends `path`'s description and its includes'; false when the fingerprint cannot hold.
    private func describe(_ path: String, depth: Int, visited: inout Set<String>, into parts: inout [String]) -> Bool {
        guard depth <= Self.maximumIncludeDepth else { return false }
        var information = stat()
        guard stat(path, &information) == 0 else {
            guard errno == ENOENT || errno == ENOTDIR else { return false }
            parts.append("\(path) missing")
            return true
        }
        guard information.st_mode & S_IFMT != S_IFDIR, let canonical = Self.canonical(path) else { return false }
        guard visited.insert(canonical).inserted else { return true }
        parts.append(
            "\(path) \(information.st_dev) \(information.st_ino) \(information.st_size) "
                + "\(information.st_mtim.tv_sec).\(information.st_mtim.tv_nsec)")
        guard let bytes = StateFile.read(path), bytes.count < Self.maximumFileSize,
            !Self.contains(bytes, Array("includeif".utf8))
        else { return false }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            guard let target = Self.includedPath(in: Array(line)) else { continue }
            guard let resolved = resolve(target, relativeTo: directory),
                describe(resolved, depth: depth + 1, visited: &visited, into: &parts)
            else { return false }
        }
        return true
    }

    /// `GIT_CONFIG_KEY_n` and `GIT_CONFIG_VALUE_n` for every `n` below `GIT_CONFIG_COUNT`;
    /// nil (unsure) for more than 1,000 of them.
    private func commandEntryNames() -> [String]? {
        guard let text = environment("GIT_CONFIG_COUNT"), let count = Int(text), count > 0 else { return [] }
        guard count <= 1_000 else { return nil }
        return (0..<count).flatMap { ["GIT_CONFIG_KEY_\($0)", "GIT_CONFIG_VALUE_\($0)"] }
    }

    /// System, global and repository files, or nil when one of them cannot be determined.
    private func startingFiles() -> [String]? {
        var files: [String] = []
        if !GitBoolean.parse(environment("GIT_CONFIG_NOSYSTEM") ?? "false") {
            files.append(environment("GIT_CONFIG_SYSTEM") ?? systemFile)
        }
        if let global = environment("GIT_CONFIG_GLOBAL") {
            files.append(global)
        } else {
            let home = environment("HOME")
            if let xdg = environment("XDG_CONFIG_HOME"), !xdg.isEmpty {
                files.append(xdg + "/git/config")
            } else if let home {
                files.append(home + "/.config/git/config")
            }
            if let home { files.append(home + "/.gitconfig") }
        }
        guard let repository = repositoryFiles() else { return nil }
        return files + repository
    }

    /// The repository's `config` and `config.worktree`, found as git finds the repository;
    /// nil for a linked worktree or submodule (a `.git` file) or a relative `GIT_DIR`, which
    /// the scan leaves to git.
    private func repositoryFiles() -> [String]? {
        if let gitDirectory = environment("GIT_DIR") {
            // A relative GIT_DIR is relative to where git started, which may not be here.
            return gitDirectory.hasPrefix("/") ? [gitDirectory + "/config", gitDirectory + "/config.worktree"] : nil
        }
        guard var directory = workingDirectory, directory.hasPrefix("/") else { return nil }
        while true {
            let dotGit = (directory == "/" ? "" : directory) + "/.git"
            switch Self.kind(of: dotGit) {
            case .directory: return [dotGit + "/config", dotGit + "/config.worktree"]
            case .other: return nil
            case .missing: break
            }
            if Self.kind(of: directory + "/HEAD") != .missing, Self.kind(of: directory + "/objects") == .directory {
                return [directory + "/config", directory + "/config.worktree"]
            }
            guard directory != "/", let slash = directory.lastIndex(of: "/") else { return [] }
            directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
        }
    }

    /// Whether `path` or a file it includes mentions one of `needles`; true also when unsure.
    private func scan(_ path: String, needles: [[UInt8]], depth: Int, visited: inout Set<String>) -> Bool {
        guard depth <= Self.maximumIncludeDepth else { return true }
        switch Self.kind(of: path) {
        case .missing: return false
        case .directory: return true
        case .other: break
        }
        guard let canonical = Self.canonical(path) else { return true }
        guard visited.insert(canonical).inserted else { return false }
        guard let bytes = StateFile.read(path), bytes.count < Self.maximumFileSize else { return true }
        if Self.contains(bytes, anyOf: needles) { return true }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            guard let target = Self.includedPath(in: Array(line)) else { continue }
            guard let resolved = resolve(target, relativeTo: directory) else { return true }
            if scan(resolved, needles: needles, depth: depth + 1, visited: &visited) { return true }
        }
        return false
    }

    /// A `path = VALUE` entry's value on a line (after an optional `[section]` header);
    /// every such entry is followed, include or not, which can only add files. An entry
    /// whose value the scan cannot read safely comes back as "" (unresolvable).
    private static func includedPath(in line: [UInt8]) -> String? {
        var rest = line[...]
        rest = rest.drop { $0 == 0x20 || $0 == 0x09 }
        if rest.first == UInt8(ascii: "[") {
            guard let close = rest.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            rest = rest[(close + 1)...].drop { $0 == 0x20 || $0 == 0x09 }
        }
        let key = Array("path".utf8)
        guard rest.count > key.count, zip(rest.prefix(key.count), key).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        rest = rest.dropFirst(key.count).drop { $0 == 0x20 || $0 == 0x09 }
        guard rest.first == UInt8(ascii: "=") else { return nil }
        rest = rest.dropFirst().drop { $0 == 0x20 || $0 == 0x09 }
        var value: [UInt8] = []
        var quoted = false
        var index = rest.startIndex
        while index < rest.endIndex {
            let byte = rest[index]
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == UInt8(ascii: "\\") {
                return ""
            } else if !quoted && (byte == UInt8(ascii: "#") || byte == UInt8(ascii: ";")) {
                break
            } else {
                value.append(byte)
            }
            index += 1
        }
        if quoted { return "" }
        while let last = value.last, last == 0x20 || last == 0x09 || last == 0x0D { value.removeLast() }
        return String(decoding: value, as: UTF8.self)
    }

    /// An include's file as git resolves it: `~/` from HOME, relative paths from the
    /// including file's directory. Nil when the scan cannot resolve it the same way.
    private func resolve(_ target: String, relativeTo directory: String) -> String? {
        if target.isEmpty { return nil }
        if target.hasPrefix("/") { return target }
        if target.hasPrefix("~/") {
            guard let home = environment("HOME") else { return nil }
            return home + target.dropFirst()
        }
        if target.hasPrefix("~") || target.hasPrefix("%(prefix)") { return nil }
        return directory + "/" + target
    }

    private enum Kind { case missing, directory, other }

    private static func kind(of path: String) -> Kind {
        var information = stat()
        guard stat(path, &information) == 0 else { return errno == ENOENT || errno == ENOTDIR ? .missing : .other }
        return information.st_mode & S_IFMT == S_IFDIR ? .directory : .other
    }

    /// Whether `haystack` contains one of `needles`, ignoring ASCII case.
    private static func contains(_ haystack: [UInt8], anyOf needles: [[UInt8]]) -> Bool {
        needles.contains { contains(haystack, $0) }
    }

    /// Whether `haystack` contains `needle` (lower-case ASCII), ignoring ASCII case.
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        let first = needle[0]
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] | 0x20 == first {
                var matched = 1
                while matched < needle.count, haystack[index + matched] | 0x20 == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            index += 1
        }
        return false
    }

    /// `path` with symbolic links, `.` and `..` resolved, or nil.
    private static func canonical(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// The process's working directory, or nil.
    public static func currentDirectory() -> String? {
        guard let pointer = getcwd(nil, 0) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
