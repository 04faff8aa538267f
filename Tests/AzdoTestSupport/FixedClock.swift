import AzdoCredential

/// A `WallClock` that always answers the same time.
public struct FixedClock: WallClock {
    /// The time it answers, Unix seconds.
    public var seconds: Int64

    /// A clock stopped at `seconds`.
    public init(_ seconds: Int64) {
        self.seconds = seconds
    }

    /// `seconds`.
    public func now() -> Int64 { seconds }
}
