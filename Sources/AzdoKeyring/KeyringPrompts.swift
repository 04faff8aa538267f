public import AzdoCredential
import Synchronization

/// The prompt policy of one process, worked out the first time a keyring call needs it
/// (reading git config may cost a `git` run, which a lookup that meets no prompt never pays).
public final class KeyringPrompts: Sendable {
    private let resolve: @Sendable () -> KeyringPromptPolicy
    private let resolved = Mutex<KeyringPromptPolicy?>(nil)

    /// Creates the policy source; by default from the environment and git config.
    public init(resolve: @escaping @Sendable () -> KeyringPromptPolicy = { KeyringPromptPolicy.configured() }) {
        self.resolve = resolve
    }

    /// Always the same policy.
    public convenience init(_ policy: KeyringPromptPolicy) {
        self.init(resolve: { policy })
    }

    /// The policy, resolved once.
    public var policy: KeyringPromptPolicy {
        resolved.withLock { cached in
            if let cached { return cached }
            let policy = resolve()
            cached = policy
            return policy
        }
    }
}
