import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The `Date` header value (RFC 9110 §5.6.7 IMF-fixdate), formatted once per second.
final class DateCache: Sendable {
    static let shared = DateCache()

    private let state = Mutex<(second: Int, bytes: [UInt8])>((second: -1, bytes: []))

    /// `Sun, 06 Nov 1994 08:49:37 GMT` for the current second.
    func current() -> [UInt8] {
        let now = time(nil)
        return state.withLock { state in
            if state.second != now {
                state = (second: now, bytes: DateCache.format(now))
            }
            return state.bytes
        }
    }

    static func format(_ seconds: Int) -> [UInt8] {
        var t = seconds
        var parts = tm()
        gmtime_r(&t, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let text =
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
        return Array(text.utf8)
    }
}
