#if canImport(Glibc)
import Glibc
#endif

/// Monotonic time in nanoseconds: for deadlines and durations, immune to wall-clock changes.
public enum MonotonicClock {
    @inline(__always)
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
