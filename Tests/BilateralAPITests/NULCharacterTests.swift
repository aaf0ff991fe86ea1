import Foundation
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// U+0000 is refused in every text, on every backend: PostgreSQL cannot store it, and SQLite
/// must answer as PostgreSQL does.
@Suite("Text never holds U+0000")
struct NULCharacterTests {
    @Test func aBodyFieldWithNULIsA422NamingIt() throws {
        try WritingClient.with { client, _ in
            let named = try client.send("POST", "/v1/actors", json: #"{"kind":"person","name":"a\u0000b"}"#)
            #expect(named.status == 422)
            #expect(try named.firstErrorField() == "name")
            #expect(named.bodyString.contains("NUL character (U+0000)"))
            let aliased = try client.send(
                "POST", "/v1/actors", json: #"{"kind":"person","name":"Tea Seiha","aliases":["a\u0000"]}"#)
            #expect(aliased.status == 422)
            #expect(try aliased.firstErrorField() == "aliases[0]")
            #expect((try client.get("/v1/actors").jsonObject()["data"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: ["/v1/countries?q=%00", "/v1/countries?q=a%00b", "/v1/actors?q=%00", "/v1/search?q=a%00"])
    func aQueryParameterWithNULIsA400NamingIt(target: String) throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", target)
            #expect(response.status == 400)
            #expect(response.bodyString.contains("q: must not contain the NUL character (U+0000)"))
        }
    }
}
