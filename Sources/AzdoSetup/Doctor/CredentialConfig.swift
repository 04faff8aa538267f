import AzdoSystem

/// What git makes of its `credential.*` config for one URL, the way git's `urlmatch` does:
/// `credential.<pattern>.<name>` applies when the pattern's scheme, host (a `*` matches one
/// label), port and path prefix match; `helper` values from every matching entry add up in
/// config order, and an empty one clears the list.
enum CredentialConfig {
    /// The helpers git asks for `url`, in order.
    static func helpers(for url: String, in entries: [(key: String, value: String)]) -> [String] {
        var helpers: [String] = []
        for (key, value) in entries where applies(key, name: "helper", to: url) {
            if value.isEmpty { helpers.removeAll() } else { helpers.append(value) }
        }
        return helpers
    }

    /// The last value of `name` (lower-case) that applies to `url`.
    static func value(_ name: String, for url: String, in entries: [(key: String, value: String)]) -> String? {
        entries.last { applies($0.key, name: name, to: url) }?.value
    }

    /// Whether a helper value runs this tool (`azdo`, or a path ending in `git-credential-azdo`).
    static func isThisHelper(_ value: String) -> Bool {
        let command = value.split(separator: " ").first.map(String.init) ?? value
        let trimmed = command.trimmingCharacters(in: "'\"")
        return trimmed == "azdo" || trimmed.hasSuffix("/git-credential-azdo")
    }

    /// Whether config `key` is `credential[.<pattern>].<name>` with a pattern matching `url`.
    static func applies(_ key: String, name: String, to url: String) -> Bool {
        guard key.lowercased().hasPrefix("credential."), key.lowercased().hasSuffix("." + name) else { return false }
        let pattern = key.dropFirst("credential.".count).dropLast(name.count + 1)
        if pattern.isEmpty { return key.count == "credential.".count + name.count }
        return matches(String(pattern), url)
    }

    /// Whether `pattern` (`scheme://host[:port][/path]`) matches `url`.
    static func matches(_ pattern: String, _ url: String) -> Bool {
        guard let wanted = Parts(pattern), let actual = Parts(url) else { return false }
        guard wanted.scheme == actual.scheme, wanted.port == actual.port else { return false }
        if let user = wanted.user, user != actual.user { return false }
        let wantedLabels = wanted.host.split(separator: ".", omittingEmptySubsequences: false)
        let actualLabels = actual.host.split(separator: ".", omittingEmptySubsequences: false)
        guard wantedLabels.count == actualLabels.count,
            zip(wantedLabels, actualLabels).allSatisfy({ $0 == "*" || $0 == $1 })
        else { return false }
        return wanted.path.isEmpty || actual.path == wanted.path || actual.path.hasPrefix(wanted.path + "/")
    }

    private struct Parts {
        var scheme: String
        var user: String?
        var host: String
        var port: String
        var path: String

        init?(_ text: String) {
            guard let separator = text.firstRange(of: "://") else { return nil }
            scheme = text[..<separator.lowerBound].lowercased()
            var rest = text[separator.upperBound...]
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<slash]
            rest = rest[slash...]
            if let at = authority.lastIndex(of: "@") {
                user = String(authority[..<at])
                authority = authority[authority.index(after: at)...]
            }
            let colon = authority.lastIndex(of: ":")
            host = String(colon.map { authority[..<$0] } ?? authority).lowercased()
            port = colon.map { String(authority[authority.index(after: $0)...]) }
                ?? (scheme == "https" ? "443" : scheme == "http" ? "80" : "")
            var path = Substring(rest)
            while path.hasPrefix("/") { path = path.dropFirst() }
            while path.hasSuffix("/") { path = path.dropLast() }
            self.path = String(path)
        }
    }
}

extension String {
    /// Without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

/// HTTP dates (`Date: Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110's preferred form).
enum HTTPDate {
    static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]),
            let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int64($0) }
        let date = padded(year, 4) + "-" + padded(month + 1, 2) + "-" + padded(day, 2)
        guard clock.count == 3, let midnight = CivilDate.unixSeconds(from: date) else { return nil }
        return midnight + clock[0] * 3_600 + clock[1] * 60 + clock[2]
    }

    /// `value` in decimal, zero-padded to `width` digits.
    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

