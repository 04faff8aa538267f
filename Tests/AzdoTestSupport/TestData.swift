import Foundation

/// SplitMix64: a tiny deterministic generator, so every run sees the same random inputs
/// and a failing case can be replayed from its seed.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A fresh organization name per test, so tests sharing the session keyring never collide.
public func uniqueOrganization(_ label: String) -> String {
    "\(label)-\(UUID().uuidString.prefix(8).lowercased())"
}

/// git's credential request for a repository of `organization` on dev.azure.com, with
/// `extra` lines (`username=…\npassword=…\n`), ended by the blank line.
public func credentialRequest(_ organization: String, _ extra: String = "") -> String {
    "protocol=https\nhost=dev.azure.com\npath=\(organization)/p/_git/r\n\(extra)\n"
}
