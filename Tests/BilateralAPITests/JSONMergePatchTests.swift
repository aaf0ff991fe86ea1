import Testing

@testable import BilateralAPI

@Suite("JSON merge patch (RFC 7396)")
struct JSONMergePatchTests {
    /// RFC 7396 Appendix A, every row: original, patch, result.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func appendixA(original: String, patch: String, result: String) throws {
        let patched = JSONMergePatch.apply(try JSONParser.parse(patch), to: try JSONParser.parse(original))
        #expect(patched == (try JSONParser.parse(result)))
        #expect(String(decoding: patched.jsonBytes(), as: UTF8.self) == result, "members in the RFC's order")
    }

    /// RFC 7396 §3, the worked example.
    @Test func theSectionThreeExample() throws {
        let target = try JSONParser.parse(
            """
            {
              "title": "Goodbye!",
              "author" : {
                "givenName" : "John",
                "familyName" : "Doe"
              },
              "tags":[ "example", "sample" ],
              "content": "This will be unchanged"
            }
            """)
        let patch = try JSONParser.parse(
            """
            {
              "title": "Hello!",
              "phoneNumber": "+01-123-456-7890",
              "author": {
                "familyName": null
              },
              "tags": [ "example" ]
            }
            """)
        let expected = try JSONParser.parse(
            """
            {
              "title": "Hello!",
              "author" : {
                "givenName" : "John"
              },
              "tags": [ "example" ],
              "content": "This will be unchanged",
              "phoneNumber": "+01-123-456-7890"
            }
            """)
        let result = JSONMergePatch.apply(patch, to: target)
        #expect(result == expected)
        #expect(result.objectValue?.keys == ["title", "author", "tags", "content", "phoneNumber"])
    }

    @Test func anEmptyPatchChangesNothing() throws {
        let target = try JSONParser.parse(#"{"a":[1],"b":{"c":null}}"#)
        #expect(JSONMergePatch.apply(.object(JSONObject()), to: target) == target)
    }
}
