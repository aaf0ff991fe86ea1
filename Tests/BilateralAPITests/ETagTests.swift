import Testing

@testable import BilateralAPI

@Suite("Entity tags")
struct ETagTests {
    @Test func strongTagOfTheExactBytes() {
        let tag = ETag.of(Array(#"{"code":"KH"}"#.utf8))
        #expect(tag == ETag.of(Array(#"{"code":"KH"}"#.utf8)), "stable for the same bytes")
        #expect(tag != ETag.of(Array(#"{"code":"KH" }"#.utf8)), "one byte more")
        #expect(tag != ETag.of(Array(#"{"code":"KG"}"#.utf8)), "one byte different")
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && !tag.hasPrefix("W/"), "strong")
        #expect(tag.count == 18, "16 hex digits in quotes")
        // Pinned: tags must be the same in every process and release, or clients' caches go stale.
        #expect(ETag.of([]) == "\"fd537b06e63f9f03\"")
        #expect(ETag.of([]) != ETag.of([0]))
        #expect(ETag.of([0]) != ETag.of([0, 0]), "the length is part of the digest")
        // Every byte of a long body counts, in whole words and in the tail.
        let body = [UInt8](repeating: 0x61, count: 4099)
        for index in [0, 7, 8, 4095, 4096, 4098] {
            var changed = body
            changed[index] = 0x62
            #expect(ETag.of(changed) != ETag.of(body), "byte \(index)")
        }
    }

    static let current = "\"0123456789abcdef\""

    /// RFC 9110 §13.1.2: If-None-Match is false (→ 304) when any listed tag matches weakly.
    @Test(arguments: [
        ("\"0123456789abcdef\"", false),
        ("W/\"0123456789abcdef\"", false),  // weak comparison ignores W/
        ("*", false),
        ("\"aaaa\", \"0123456789abcdef\"", false),  // a list
        ("\"aaaa\",W/\"0123456789abcdef\"", false),
        ("\"0123456789abcdef-gzip\"", false),  // the gzip variant names the same content
        ("W/\"0123456789abcdef-gzip\"", false),
        ("\"aaaa\"", true),
        ("\"aaaa\", \"bbbb\"", true),
        ("\"0123456789abcdeF\"", true),  // opaque tags compare exactly
        ("0123456789abcdef", true),  // unquoted is not that tag
        ("\"0123456789abcdef-br\"", true),
        ("", true),
    ])
    func ifNoneMatch(header: String, proceed: Bool) {
        #expect(ETag.noneMatch(header, current: Self.current) == proceed)
    }

    @Test func absentIfNoneMatchProceeds() {
        #expect(ETag.noneMatch(nil, current: Self.current))
    }

    /// RFC 9110 §13.1.1: If-Match uses the strong comparison.
    @Test(arguments: [
        ("\"0123456789abcdef\"", true),
        ("\"x\", \"0123456789abcdef\"", true),
        ("*", true),
        ("\"0123456789abcdef-gzip\"", true),
        ("W/\"0123456789abcdef\"", false),
        ("\"x\"", false),
    ])
    func ifMatch(header: String, matches: Bool) {
        #expect(ETag.matches(header, current: Self.current) == matches)
    }

    @Test func ifMatchStarNeedsARepresentation() {
        #expect(!ETag.matches("*", current: nil))
        #expect(!ETag.matches("\"x\"", current: nil))
    }
}
