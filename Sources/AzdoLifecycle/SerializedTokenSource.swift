public import AzdoAPI

/// Redeems the refresh token only while holding the renewal lock (`StateLock.accessToken`),
/// so a `pat` command, the refresher and git's renewals never redeem the same refresh token
/// at once: Entra rotates it on every use, and the loser of such a race would be refused.
/// Each redemption reads the stored token after taking the lock, so it gets the newest.
public struct SerializedTokenSource: AccessTokenSource {
    private let inner: any AccessTokenSource
    private let directory: String

    /// Serializes `inner` on the lock file in `directory` (the state directory).
    public init(_ inner: any AccessTokenSource, lockDirectory directory: String) {
        self.inner = inner
        self.directory = directory
    }

    /// `inner`'s token, under the lock; without a lock file (an unwritable state directory)
    /// it goes ahead unserialized rather than fail.
    public func accessToken() async throws(SignInError) -> EntraAccessToken {
        let lock = StateLock.acquire(in: directory, name: StateLock.accessToken, waiting: true)
        defer { withExtendedLifetime(lock) {} }
        return try await inner.accessToken()
    }
}
