import Glibc

/// Wall-clock time as RFC 3339 UTC text, without Foundation (for log lines).
public enum WallClock {
    /// Now, as `2025-03-14T09:26:53.589Z` (RFC 3339, UTC, milliseconds).
    public static func nowRFC3339() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return rfc3339(secondsSinceEpoch: Int(time.tv_sec), nanoseconds: Int(time.tv_nsec))
    }

    /// Now, in whole seconds since the epoch.
    public static func secondsSinceEpoch() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int(time.tv_sec)
    }

    /// The instant `secondsSinceEpoch` + `nanoseconds` as RFC 3339 UTC with milliseconds (truncated).
    public static func rfc3339(secondsSinceEpoch: Int, nanoseconds: Int) -> String {
        let civil = CivilTime(secondsSinceEpoch: secondsSinceEpoch)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func append(_ value: Int, width: Int) {
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var rest = value
            for index in stride(from: width - 1, through: 0, by: -1) {
                digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            out.append(contentsOf: digits)
        }
        append(civil.year, width: 4)
        out.append(UInt8(ascii: "-"))
        append(civil.month, width: 2)
        out.append(UInt8(ascii: "-"))
        append(civil.day, width: 2)
        out.append(UInt8(ascii: "T"))
        append(civil.hour, width: 2)
        out.append(UInt8(ascii: ":"))
        append(civil.minute, width: 2)
        out.append(UInt8(ascii: ":"))
        append(civil.second, width: 2)
        out.append(UInt8(ascii: "."))
        append(nanoseconds / 1_000_000, width: 3)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}
