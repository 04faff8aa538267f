/// Random tags for new keyring items.
public enum Nonce {
    /// 128 random bits as 32 lower-case hex digits.
    @Sendable public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
