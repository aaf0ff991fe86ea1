import Glibc
import Testing

@testable import HTTPCore

@Suite("CivilTime: UTC calendar arithmetic agrees with gmtime_r")
struct CivilTimeTests {
    @Test(arguments: [
        0, 59, 86_399, 86_400, 951_782_400, 951_868_799, 1_709_164_800, 1_717_459_200, 4_102_444_800,
        -1, -86_400, -2_208_988_800, 253_402_300_799,
    ])
    func knownInstants(seconds: Int) {
        #expect(CivilTime(secondsSinceEpoch: seconds) == Self.reference(seconds))
    }

    @Test func seededSampleAcrossFourCenturies() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let seconds = Int(state >> 20) % 12_622_780_800 - 2_208_988_800  // 1900 ... 2300
            #expect(CivilTime(secondsSinceEpoch: seconds) == Self.reference(seconds))
        }
    }

    @Test func logTimestampsAndDateHeaderUseIt() {
        #expect(
            WallClock.rfc3339(secondsSinceEpoch: 1_717_459_200, nanoseconds: 123_456_789) == "2024-06-04T00:00:00.123Z")
        #expect(String(decoding: DateCache.format(784_111_777), as: UTF8.self) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    private static func reference(_ seconds: Int) -> CivilTime {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return CivilTime(
            year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
            hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec), weekday: Int(parts.tm_wday))
    }
}
