/// The display names this tool gives PATs: a stem chosen by the person, then a nonce that
/// finds the PAT again after a lost answer. ` #NONCE` marks a regenerated PAT, ` ~NONCE` one
/// made by `pat create`; the nonce is 8 hex digits.
public enum PATName {
    /// `stem` with `nonce`, marked as a regeneration or a first create.
    static func named(_ stem: String, nonce: String, regenerated: Bool) -> String {
        stem + (regenerated ? " #" : " ~") + nonce
    }

    /// The nonce a display name ends in, if any.
    static func nonce(of displayName: String?) -> String? {
        guard let suffix = displayName?.suffix(10), suffix.count == 10,
            suffix.hasPrefix(" #") || suffix.hasPrefix(" ~"), suffix.dropFirst(2).allSatisfy(\.isHexDigit)
        else { return nil }
        return String(suffix.dropFirst(2))
    }

    /// Whether `displayName` is that of a regenerated PAT.
    public static func isRegenerated(_ displayName: String?) -> Bool {
        nonce(of: displayName) != nil && displayName?.suffix(10).hasPrefix(" #") == true
    }

    /// The display name without its nonce; the tool's name when there is none.
    static func stem(_ displayName: String?) -> String {
        guard let name = displayName, !name.isEmpty else { return "git-credential-azdo" }
        return nonce(of: name) == nil ? name : String(name.dropLast(10))
    }

    /// A new nonce: 32 random bits as 8 hex digits.
    static func newNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = String(generator.next() as UInt32, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
