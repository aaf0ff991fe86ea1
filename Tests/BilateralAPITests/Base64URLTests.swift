import Testing

@testable import BilateralAPI

@Suite("base64url")
struct Base64URLTests {
    @Test(arguments: 0...70)
    func roundTripsEveryLength(length: Int) throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 251) }
        let text = Base64URL.encode(bytes)
        #expect(!text.contains("="), "no padding")
        #expect(!text.contains("+") && !text.contains("/"), "URL-safe alphabet")
        #expect(Base64URL.decode(text) == bytes)
    }

    /// RFC 4648 §10 vectors, in the URL alphabet without padding.
    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func usesDashAndUnderscore() {
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xfb, 0xff])
    }

    @Test(arguments: [
        "Zg==",  // padding is not part of the unpadded form
        "Zm9v+",  // the standard alphabet's + and /
        "Zm9v/",
        "Z",  // a length of 1 mod 4 cannot encode whole bytes
        "Zm9vY",
        "Zm 9v",  // whitespace
        "Zm9v.",
        "Zm9vé",
    ])
    func rejects(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}
