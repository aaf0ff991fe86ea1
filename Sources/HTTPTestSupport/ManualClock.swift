import HTTPCore
import Synchronization

/// A clock that moves only when a test moves it: a server configured with `serverClock` sees
/// its deadlines pass the moment the test advances past them (within one timer tick).
public final class ManualClock: Sendable {
    private let nanoseconds: Atomic<UInt64>

    /// Starts at an arbitrary nonzero time, as a monotonic clock would.
    public init(start: UInt64 = 1_000 * 1_000_000_000) {
        nanoseconds = Atomic(start)
    }

    /// Starts at `seconds`.
    public convenience init(seconds: UInt64) {
        self.init(start: seconds * 1_000_000_000)
    }

    public var now: UInt64 { nanoseconds.load(ordering: .acquiring) }

    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let step = UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        nanoseconds.add(step, ordering: .releasing)
    }

    public func advance(seconds: Double) {
        nanoseconds.add(UInt64(seconds * 1_000_000_000), ordering: .releasing)
    }

    /// The clock as a function, for what takes one (`RateLimitConfiguration.clock`).
    public var read: @Sendable () -> UInt64 { { [self] in now } }

    public var serverClock: ServerClock {
        ServerClock(now: { [self] in now })
    }
}
