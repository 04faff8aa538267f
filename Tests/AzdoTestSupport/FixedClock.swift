public import AzdoSystem
import Synchronization

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

/// A `WallClock` tests move forward by hand.
public final class MovableClock: WallClock {
    private let seconds: Mutex<Int64>

    /// A clock at `start`.
    public init(_ start: Int64) { seconds = Mutex(start) }

    /// The current time.
    public func now() -> Int64 { seconds.withLock { $0 } }

    /// Moves the clock `days` (and `seconds`) forward.
    public func advance(days: Int64 = 0, seconds extra: Int64 = 0) { seconds.withLock { $0 += days * 86_400 + extra } }
}
