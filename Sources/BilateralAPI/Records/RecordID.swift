import Synchronization

/// Server-made ids: 26-character lowercase ULIDs (48 bits of milliseconds, 80 random bits,
/// Crockford base32), so they sort by creation time and match the client id pattern.
enum RecordID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
    private static let last = Mutex<(millis: UInt64, random: (UInt16, UInt64))>((0, (0, 0)))

    static func generate(millisecondsSinceEpoch: UInt64 = WallTime.milliseconds()) -> String {
        // Within one millisecond the random part counts up, keeping ids ordered (ULID monotonicity).
        let (millis, random) = last.withLock { state -> (UInt64, (UInt16, UInt64)) in
            if millisecondsSinceEpoch <= state.millis {
                let (low, overflow) = state.random.1.addingReportingOverflow(1)
                state.random = (overflow ? state.random.0 &+ 1 : state.random.0, low)
            } else {
                state = (millisecondsSinceEpoch, (UInt16.random(in: 0...UInt16.max), UInt64.random(in: 0...UInt64.max)))
            }
            return (state.millis, state.random)
        }
        var value = (high: millis << 16 | UInt64(random.0), low: random.1)  // 64 + 64 bits, top 128 of 130
        var out = [UInt8](repeating: 0, count: 26)
        for index in stride(from: 25, through: 0, by: -1) {
            out[index] = alphabet[Int(value.low & 31)]
            value.low = value.low >> 5 | (value.high & 31) << 59
            value.high >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// Wall-clock time since the Unix epoch.
enum WallTime {
    static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    static func milliseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(time.tv_sec) * 1000 + UInt64(time.tv_nsec / 1_000_000)
    }
}
