import AzdoSystem

/// `git config`'s answer for the credential settings, kept in the private runtime directory
/// (`RuntimeTokenCache.directory`) under the fingerprint of every file git read for it
/// (`GitConfigScan.fingerprint`): a `get` runs git again only after a config file changed.
/// git costs 1.6 ms here, as much as the rest of a cached `get`.
struct ConfigAnswerCache {
    private let directory: String?

    /// A cache in `directory` (nil: none).
    init(directory: String?) {
        self.directory = directory
    }

    /// The answer kept for `fingerprint`, if any.
    func answer(for fingerprint: String) -> String? {
        guard let file = file(for: fingerprint), let bytes = StateFile.read(file) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let newline = text.firstIndex(of: "\n"), text[..<newline] == fingerprint else { return nil }
        return String(text[text.index(after: newline)...])
    }

    /// Keeps `answer` for `fingerprint` (mode 0600).
    func store(_ answer: String, for fingerprint: String) {
        guard let file = file(for: fingerprint) else { return }
        _ = StateFile.replace(file, with: Array((fingerprint + "\n" + answer).utf8))
    }

    private func file(for fingerprint: String) -> String? {
        // FNV-1a names the file; the fingerprint inside it is compared in full.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in fingerprint.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return directory.map { "\($0)/config-\(String(hash, radix: 16))" }
    }
}
