#if canImport(Glibc)
import Glibc
#endif

/// RFC 3339 UTC timestamps with millisecond precision and `Z`, the only form the API writes.
public enum Timestamp {
    /// Now, e.g. `2026-11-26T16:30:46.123Z`.
    public static func now() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return format(seconds: time.tv_sec, milliseconds: time.tv_nsec / 1_000_000)
    }

    public static func format(seconds: Int, milliseconds: Int = 0) -> String {
        var t = seconds
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds), 3))Z"
    }

    /// Today's date in UTC, `YYYY-MM-DD`.
    public static func today() -> String {
        String(now().prefix(10))
    }
}
