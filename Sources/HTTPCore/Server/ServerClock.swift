/// Where a server's connections read the time for their deadlines: the monotonic clock, or in
/// tests a clock the test moves (`HTTPTestSupport.ManualClock`), so that every timeout is
/// tested by moving time rather than by waiting for it.
public struct ServerClock: Sendable {
    /// Nanoseconds on a clock that never goes back.
    public let now: @Sendable () -> UInt64

    public init(now: @escaping @Sendable () -> UInt64) {
        self.now = now
    }

    public static let monotonic = ServerClock(now: { MonotonicClock.now() })
}
