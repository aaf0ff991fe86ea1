import HTTPCore
import Testing

@testable import BilateralAPI

@Suite("JSON encoding")
struct JSONEncodingTests {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test(arguments: [
        #"{"id":"m-1","title":"Talks","date":"2024-05-01","participants":[{"actor_id":"a","role":null}],"n":-1.50e+3}"#,
        #"[1.0,1e0,-0,100000000000000000000001,0.1]"#,
        "\"tab\\there, \\\"quotes\\\", \\\\, \\u0001, é, 😀, \\ud83d\\ude00\"",
        #"{"z":{"y":{"x":[]}},"a":{}}"#,
        " [ true , false , null ] ",
    ])
    func parseEncodeParseGivesAnEqualValue(input: String) throws {
        let value = try JSONParser.parse(input)
        let encoded = value.jsonBytes()
        #expect(try JSONParser.parse(encoded) == value)
        #expect(try JSONParser.parse(encoded).jsonBytes() == encoded, "encoding is stable")
    }

    @Test func compactOutputKeepsOrderAndNumberText() throws {
        let input = "{ \"z\" : 1.0 ,\n \"a\" : [ 1e0 , -0 , 12345678901234567890123 ] }"
        #expect(
            Self.text(try JSONParser.parse(input).jsonBytes()) == #"{"z":1.0,"a":[1e0,-0,12345678901234567890123]}"#)
    }

    @Test func stringsAreEscapedAsRFC8259Requires() {
        let value = JSONValue.string("a\u{0}\u{1F}\n\r\t\"\\/\u{7F}é😀")
        #expect(Self.text(value.jsonBytes()) == "\"a\\u0000\\u001f\\n\\r\\t\\\"\\\\/\u{7F}é😀\"")
        let key = JSONValue.object(JSONObject([("line\nbreak", .null)]))
        #expect(Self.text(key.jsonBytes()) == #"{"line\nbreak":null}"#)
    }

    @Test func nonASCIIStaysUTF8() {
        #expect(JSONValue.string("é😀").jsonBytes() == [0x22, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, 0x22])
    }

    @Test func membersKeepTheirOrderAtEveryDepth() throws {
        let value = try JSONParser.parse(#"{"b":{"d":1,"c":2},"a":[{"y":1,"x":{"q":0,"p":0}}]}"#)
        #expect(Self.text(value.jsonBytes()) == #"{"b":{"d":1,"c":2},"a":[{"y":1,"x":{"q":0,"p":0}}]}"#)
    }

    @Test func equalityIgnoresMemberOrderButNotNumberText() throws {
        let one = try JSONParser.parse(#"{"a":1,"b":[true,{"c":null,"d":"x"}]}"#)
        let reordered = try JSONParser.parse(#" { "b" : [ true , { "d" : "x" , "c" : null } ] , "a" : 1 } "#)
        #expect(one == reordered)
        let otherNumber = try JSONParser.parse(#"{"a":1.0,"b":[true,{"c":null,"d":"x"}]}"#)
        #expect(one != otherNumber)
    }

    @Test func aValueWritesIntoALargerDocument() throws {
        var json = JSONWriter()
        json.beginObject()
        json.key("patch")
        try JSONParser.parse(#"{"b": [1, "x"]}"#).write(to: &json)
        json.key("n")
        json.int(2)
        json.endObject()
        #expect(Self.text(json.bytes) == #"{"patch":{"b":[1,"x"]},"n":2}"#)
    }
}
