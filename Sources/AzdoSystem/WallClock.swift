#if canImport(Glibc)
import Glibc
#endif

/// The current time as Unix seconds, injected so tests can move it.
public protocol WallClock: Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    func now() -> Int64
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    /// Creates the clock.
    public init() {}

    /// Seconds since 1970-01-01T00:00:00Z, from `time(2)`.
    public func now() -> Int64 { Int64(time(nil)) }
}
