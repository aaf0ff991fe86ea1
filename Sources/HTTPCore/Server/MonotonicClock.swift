import Glibc

/// Nanoseconds from `CLOCK_MONOTONIC`: never jumps with wall-clock changes, so it is what
/// latencies (`Request.receivedAt`) and timeouts are measured with.
public enum MonotonicClock {
    /// The current monotonic time in nanoseconds (from an arbitrary origin, typically boot).
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Milliseconds elapsed since `start` (a value of `now()`), never negative.
    public static func milliseconds(since start: UInt64, now: UInt64 = MonotonicClock.now()) -> Double {
        now > start ? Double(now - start) / 1_000_000 : 0
    }
}
