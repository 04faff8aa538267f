/// A token or password. Its `description` is always redacted, so a secret that ends up
/// in string interpolation, a log line or an error message never shows its value.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret text, for the few places that must send or store it.
    public let value: String

    /// Wraps `value`.
    public init(_ value: String) {
        self.value = value
    }

    /// Whether there is no secret text at all.
    public var isEmpty: Bool { value.isEmpty }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }

    /// Always `Secret(<redacted>)`.
    public var debugDescription: String { "Secret(<redacted>)" }

    /// Compares in time that depends only on the lengths, not on where the values differ.
    public static func == (lhs: Secret, rhs: Secret) -> Bool {
        let a = lhs.value.utf8, b = rhs.value.utf8
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    /// Hashes the length only, so hashing leaks nothing about the value.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(value.utf8.count)
    }
}
