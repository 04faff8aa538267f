import AzdoSystem

/// `git config`'s answers, kept in the private runtime directory
/// (`RuntimeTokenCache.directory`) under the command and the fingerprint of every file git
/// read for it (`GitConfigScan.fingerprint`): a `get` runs git again only after a config file
/// changed. git costs 1.6 ms here, as much as the rest of a cached `get`.
struct ConfigAnswerCache {
    private let directory: String?
    private let fingerprint: String?

    /// A cache in `directory` (nil: none) for the config state `fingerprint` (nil: not
    /// cacheable, so git always runs).
    init(directory: String? = RuntimeTokenCache.directory(), fingerprint: String?) {
        self.directory = directory
        self.fingerprint = fingerprint
    }

    /// git's output for `arguments`, kept or run now (and then kept).
    func output(of arguments: [String]) -> String {
        if let kept = kept(arguments) { return kept }
        return start(arguments)()
    }

    /// The output kept for `arguments`, if any.
    func kept(_ arguments: [String]) -> String? {
        guard let (file, header) = place(arguments), let bytes = StateFile.read(file) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let newline = text.firstIndex(of: "\n"), text[..<newline] == header else { return nil }
        return String(text[text.index(after: newline)...])
    }

    /// Starts git for `arguments` now; the function returned waits for its output, keeps it
    /// and returns it.
    func start(_ arguments: [String]) -> () -> String {
        let pending = ChildProcess.startOutput(of: arguments)
        return {
            // A failed run (git exits 1 when nothing matches) means no entries.
            let output = pending.wait() ?? ""
            if let (file, header) = place(arguments) {
                _ = StateFile.replace(file, with: Array((header + "\n" + output).utf8))
            }
            return output
        }
    }

    /// The file for `arguments` and the header line it must start with.
    private func place(_ arguments: [String]) -> (String, String)? {
        guard let directory, let fingerprint else { return nil }
        let header = arguments.joined(separator: "\u{1F}") + "\u{1E}" + fingerprint
        // FNV-1a names the file; the header inside it is compared in full.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in header.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return ("\(directory)/config-\(String(hash, radix: 16))", header)
    }
}
