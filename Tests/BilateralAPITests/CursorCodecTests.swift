import Foundation
import HTTPCore
import Testing

@testable import BilateralAPI

@Suite("Cursor codec")
struct CursorCodecTests {
    let codec = CursorCodec(secret: Array("a secret of at least sixteen bytes".utf8))

    @Test(arguments: [["KH"], ["2024-06-04", "austin-manet"], ["with \"quotes\" and . dots", "ü"], [""]])
    func roundTrip(key: [String]) throws {
        let cursor = codec.encode(key, scope: "countries||")
        #expect(!cursor.contains("="))
        #expect(cursor.split(separator: ".").count == 2)
        #expect(try codec.decode(cursor, scope: "countries||", count: key.count) == key)
    }

    @Test func isOpaqueButStable() {
        #expect(codec.encode(["KH"], scope: "s") == codec.encode(["KH"], scope: "s"))
        #expect(codec.encode(["KH"], scope: "s") != codec.encode(["KH"], scope: "t"))
        let other = CursorCodec(secret: Array("another secret, also sixteen+".utf8))
        #expect(codec.encode(["KH"], scope: "s") != other.encode(["KH"], scope: "s"))
    }

    /// Cursors were once written by Foundation's `JSONSerialization` (which escapes `/` as `\/`);
    /// those a client still holds must keep paging after an upgrade.
    @Test func acceptsCursorsWrittenByJSONSerialization() throws {
        let key = ["2024/06/04", "ü \"q\""]
        let payload = Array(try JSONSerialization.data(withJSONObject: key))
        let secret = Array("a secret of at least sixteen bytes".utf8)
        let signature = Array(SHA256.hmac(key: secret, message: Array("s".utf8) + [0] + payload).prefix(12))
        let cursor = Base64URL.encode(payload) + "." + Base64URL.encode(signature)
        #expect(try codec.decode(cursor, scope: "s", count: 2) == key)
    }

    /// Every way a cursor can be wrong is a 400 whose first field error names `cursor`.
    @Test(arguments: CursorCodecTests.badCursors())
    func rejects(name: String, cursor: String, scope: String) throws {
        do {
            let key = try codec.decode(cursor, scope: scope, count: 1)
            Issue.record("\(name): decoded to \(key)")
        } catch let error as HTTPError {
            #expect(error.problem.status == .badRequest, "\(name)")
            #expect(error.problem.errors.first?.field == "cursor", "\(name)")
        }
    }

    static func badCursors() -> [(String, String, String)] {
        let codec = CursorCodec(secret: Array("a secret of at least sixteen bytes".utf8))
        let good = codec.encode(["KH"], scope: "countries||")
        let parts = good.split(separator: ".").map(String.init)
        let otherPayload = Base64URL.encode(Array(#"["ZZ"]"#.utf8))
        var flippedSignature = Array(Base64URL.decode(parts[1]) ?? [])
        flippedSignature[0] ^= 1
        let twoKeys = codec.encode(["KH", "extra"], scope: "countries||")
        let notJSON = Base64URL.encode(Array("KH".utf8))
        return [
            ("tampered payload", otherPayload + "." + parts[1], "countries||"),
            ("tampered signature", parts[0] + "." + Base64URL.encode(flippedSignature), "countries||"),
            ("truncated signature", parts[0] + "." + String(parts[1].dropLast(2)), "countries||"),
            ("another scope", good, "countries|Asia|"),
            ("wrong key count", twoKeys, "countries||"),
            (
                "signed non-JSON payload",
                notJSON + "."
                    + Base64URL.encode(
                        Array(
                            SHA256.hmac(
                                key: Array("a secret of at least sixteen bytes".utf8),
                                message: Array("countries||".utf8) + [0] + Array("KH".utf8)
                            ).prefix(12))), "countries||"
            ),
            ("garbage", "not a cursor", "countries||"),
            ("no dot", parts[0] + parts[1], "countries||"),
            ("three parts", good + ".x", "countries||"),
            ("empty", "", "countries||"),
            ("standard base64", good.replacingOccurrences(of: "-", with: "+") + "+/", "countries||"),
        ]
    }
}
