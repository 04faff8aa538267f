import AzdoCredential

/// A `WallClock` that always answers the same time.
struct FixedClock: WallClock {
    var seconds: Int64

    init(_ seconds: Int64) {
        self.seconds = seconds
    }

    func now() -> Int64 { seconds }
}
