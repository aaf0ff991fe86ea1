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
        let civil = CivilTime(secondsSinceEpoch: seconds)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let text =
            "\(days[civil.weekday]), \(two(civil.day)) \(months[civil.month - 1]) \(civil.year) "
            + "\(two(civil.hour)):\(two(civil.minute)):\(two(civil.second)) GMT"
        return Array(text.utf8)
    }
}
