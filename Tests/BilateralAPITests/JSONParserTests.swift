import Testing

@testable import BilateralAPI

/// A body the parser must reject, and a fragment of the message it must give.
struct RejectedJSON: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let reason: String

    init(_ name: String, _ text: String, _ reason: String) {
        self.init(name, bytes: Array(text.utf8), reason)
    }

    init(_ name: String, bytes: [UInt8], _ reason: String) {
        self.name = name
        self.bytes = bytes
        self.reason = reason
    }

    var testDescription: String { name }
}

/// Vectors modelled on JSONTestSuite's y_ and n_ cases (github.com/nst/JSONTestSuite).
@Suite("JSON parser (RFC 8259)")
struct JSONParserTests {
    static let quote = UInt8(ascii: "\"")

    /// Accepted input → the compact JSON the parsed value writes back.
    @Test(arguments: [
        // numbers keep their text
        ("0", "0"), ("-0", "-0"), ("1.0", "1.0"), ("1e0", "1e0"), ("1E+2", "1E+2"), ("-1.5e-10", "-1.5e-10"),
        ("0.000001", "0.000001"), ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("1e999", "1e999"), ("[-0.0e-0]", "[-0.0e-0]"),
        // literals and whitespace
        ("true", "true"), ("false", "false"), (" null ", "null"), (" \t\n\r[ 1 , 2 ] \r\n", "[1,2]"),
        // structure
        ("[]", "[]"), ("{}", "{}"), ("[[]]", "[[]]"), ("[{}]", "[{}]"), ("[1,[2,[3]]]", "[1,[2,[3]]]"),
        (#"{"a":[1,{"b":null}]}"#, #"{"a":[1,{"b":null}]}"#), (#"{"b":1,"a":2}"#, #"{"b":1,"a":2}"#),
        (#"{"":0}"#, #"{"":0}"#), (#"{"a":1,"A":2}"#, #"{"a":1,"A":2}"#),
        (#"{"a":{"a":1}}"#, #"{"a":{"a":1}}"#), (#"["a","a"]"#, #"["a","a"]"#),
        (#"{ "a" : 1 , "b" : [ ] }"#, #"{"a":1,"b":[]}"#),
        // escapes
        (#""""#, #""""#), (#""\"\\\/\b\f\n\r\t""#, #""\"\\/\u0008\u000c\n\r\t""#),
        (#""\u0041""#, #""A""#), (#""\u00e9\u00C9""#, "\"éÉ\""), (#""\u20AC""#, "\"€\""),
        (#""\uD83D\uDE00""#, "\"😀\""), (#""\uDBFF\uDFFF""#, "\"\u{10FFFF}\""), (#""\u0000""#, #""\u0000""#),
        (#""\uFFFF""#, "\"\u{FFFF}\""), (#""<\/script>""#, #""</script>""#),
        // UTF-8 as is, at the edges of Unicode 15 Table 3-7
        ("\"é\"", "\"é\""), ("\"€\"", "\"€\""), ("\"😀\"", "\"😀\""), ("\"\u{10FFFF}\"", "\"\u{10FFFF}\""),
        ("\"\u{D7FF}\u{E000}\"", "\"\u{D7FF}\u{E000}\""), ("\"\u{7F}\"", "\"\u{7F}\""),
    ])
    func accepts(input: String, written: String) throws {
        let value = try JSONParser.parse(input)
        #expect(String(decoding: value.jsonBytes(), as: UTF8.self) == written)
    }

    @Test(arguments: [
        // empty input and what is not JSON whitespace
        RejectedJSON("empty", "", "empty"),
        RejectedJSON("only whitespace", " \r\n\t", "empty"),
        RejectedJSON("UTF-8 byte order mark", bytes: [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], "byte order mark"),
        RejectedJSON("UTF-16 byte order mark", bytes: [0xFE, 0xFF, 0x00, 0x31], "UTF-16"),
        RejectedJSON("form feed as whitespace", "\u{0C}1", "unexpected byte 0x0C"),
        RejectedJSON("no-break space as whitespace", "\u{A0}1", "unexpected byte 0xC2"),
        // literals
        RejectedJSON("truncated true", "tru", "invalid literal; expected 'true'"),
        RejectedJSON("capitalised True", "True", "unexpected 'T'"),
        RejectedJSON("truncated null", "[nul]", "invalid literal; expected 'null'"),
        RejectedJSON("NaN", "NaN", "unexpected 'N'"),
        RejectedJSON("Infinity", "[Infinity]", "unexpected 'I'"),
        RejectedJSON("-Infinity", "-Infinity", "expected a digit after '-'"),
        RejectedJSON("undefined", "undefined", "unexpected 'u'"),
        // numbers (RFC 8259 §6)
        RejectedJSON("leading zero", "01", "leading zeros"),
        RejectedJSON("negative leading zero", "[-012]", "leading zeros"),
        RejectedJSON("double zero", "00", "leading zeros"),
        RejectedJSON("plus sign", "+1", "unexpected '+'"),
        RejectedJSON("no integer part", ".5", "unexpected '.'"),
        RejectedJSON("no fraction digits", "1.", "after the decimal point"),
        RejectedJSON("fraction then exponent", "1.e3", "after the decimal point"),
        RejectedJSON("empty exponent", "1e", "in the exponent"),
        RejectedJSON("exponent sign only", "[1e+]", "in the exponent"),
        RejectedJSON("exponent minus only", "1E-", "in the exponent"),
        RejectedJSON("minus alone", "-", "expected a digit after '-'"),
        RejectedJSON("minus then space", "- 1", "expected a digit after '-'"),
        RejectedJSON("hexadecimal", "0x10", "unexpected 'x' after the JSON value"),
        RejectedJSON("digit separator", "1_000", "unexpected '_' after the JSON value"),
        RejectedJSON("two values", "1 2", "unexpected '2' after the JSON value"),
        // strings (RFC 8259 §7)
        RejectedJSON("unterminated", #""abc"#, "unterminated string"),
        RejectedJSON("single quotes", "'a'", "unexpected '''"),
        RejectedJSON("unknown escape", #""\x41""#, #"invalid escape '\x'"#),
        RejectedJSON("capital U escape", #""\U0041""#, #"invalid escape '\U'"#),
        RejectedJSON("escaped control character", "\"\\\u{07}\"", "a backslash followed by byte 0x07"),
        RejectedJSON("short unicode escape", #""\u12""#, "four hexadecimal digits"),
        RejectedJSON("non-hex unicode escape", #""\uGHIJ""#, "four hexadecimal digits"),
        RejectedJSON("escaped quote unterminated", #""\""#, "unterminated string"),
        RejectedJSON("backslash at the end", #""\"#, "unterminated string"),
        RejectedJSON("raw tab", "\"a\tb\"", "control character U+0009"),
        RejectedJSON("raw line feed", "\"a\nb\"", "control character U+000A"),
        RejectedJSON("raw NUL", bytes: [quote, 0x00, quote], "control character U+0000"),
        // surrogates
        RejectedJSON("lone high surrogate", #""\uD800""#, "unpaired surrogate \\uD800"),
        RejectedJSON("lone low surrogate", #""\uDC00""#, "unpaired surrogate \\uDC00"),
        RejectedJSON("high then a letter", #""\uD800\u0041""#, "unpaired surrogate \\uD800 followed by \\u0041"),
        RejectedJSON("high then another escape", #""\uD800\n""#, "unpaired surrogate \\uD800"),
        RejectedJSON("high then text", #""\uD83Dx""#, "unpaired surrogate \\uD83D"),
        RejectedJSON("high then a bad escape", #""\uD800\uZZZZ""#, "four hexadecimal digits"),
        RejectedJSON("two highs", #""\uD800\uD800""#, "unpaired surrogate"),
        RejectedJSON("low then high", #""\uDC00\uD800""#, "unpaired surrogate \\uDC00"),
        // UTF-8 (Unicode 15 Table 3-7)
        RejectedJSON("lone continuation byte", bytes: [quote, 0x80, quote], "unexpected continuation byte 0x80"),
        RejectedJSON("overlong two bytes", bytes: [quote, 0xC0, 0xAF, quote], "overlong"),
        RejectedJSON("overlong three bytes", bytes: [quote, 0xE0, 0x80, 0xAF, quote], "overlong"),
        RejectedJSON("overlong four bytes", bytes: [quote, 0xF0, 0x80, 0x80, 0xAF, quote], "overlong"),
        RejectedJSON("encoded surrogate", bytes: [quote, 0xED, 0xA0, 0x80, quote], "encoded surrogate"),
        RejectedJSON("above U+10FFFF", bytes: [quote, 0xF4, 0x90, 0x80, 0x80, quote], "above U+10FFFF"),
        RejectedJSON("byte F5", bytes: [quote, 0xF5, 0x80, 0x80, 0x80, quote], "0xF5 never appears"),
        RejectedJSON("byte FF", bytes: [quote, 0xFF, quote], "0xFF never appears"),
        RejectedJSON("truncated before the quote", bytes: [quote, 0xE2, 0x82, quote], "incomplete sequence"),
        RejectedJSON("truncated at the end", bytes: [quote, 0xF0, 0x9F, 0x98], "incomplete sequence"),
        RejectedJSON("invalid byte outside a string", bytes: [0x5B, 0xFF, 0x5D], "unexpected byte 0xFF"),
        // structure
        RejectedJSON("trailing comma in an array", "[1,]", "trailing comma before ']'"),
        RejectedJSON("trailing comma in an object", #"{"a":1,}"#, "trailing comma before '}'"),
        RejectedJSON("missing comma in an array", "[1 2]", "expected ',' or ']' after an array element"),
        RejectedJSON("missing colon", #"{"a" 1}"#, "expected ':' after an object key"),
        RejectedJSON("key without a value", #"{"a"}"#, "expected ':' after an object key"),
        RejectedJSON("missing comma in an object", #"{"a":1 "b":2}"#, "expected ',' or '}' after an object member"),
        RejectedJSON("unquoted key", "{a:1}", "unexpected 'a'; expected a string key in double quotes"),
        RejectedJSON("single-quoted key", "{'a':1}", "expected a string key in double quotes"),
        RejectedJSON("number as key", "{1:1}", "expected a string key in double quotes"),
        RejectedJSON("colon without a value", #"{"a":}"#, "unexpected '}'; expected a value"),
        RejectedJSON("leading comma", "[,1]", "unexpected ','; expected a value"),
        RejectedJSON("bracket after a colon", #"[1,{"a":]}"#, "unexpected ']'; expected a value"),
        RejectedJSON("trailing comma in a nested array", #"{"a":[1, ] }"#, "trailing comma before ']'"),
        RejectedJSON("double comma", "[1,,2]", "unexpected ','; expected a value"),
        RejectedJSON("unclosed array", "[1,", "unexpected end of input; expected a value"),
        RejectedJSON("unclosed object", "{", "unexpected end of input; expected a string key"),
        RejectedJSON("unclosed object after a member", #"{"a":1"#, "expected ',' or '}' after an object member"),
        RejectedJSON("closing bracket alone", "]", "unexpected ']'; expected a value"),
        RejectedJSON("extra closing bracket", "[1]]", "unexpected ']' after the JSON value"),
        RejectedJSON("extra closing brace", #"{"a":1}}"#, "unexpected '}' after the JSON value"),
        RejectedJSON("mismatched brackets", "[1}", "expected ',' or ']'"),
        RejectedJSON("block comment", "/* c */ 1", "unexpected '/'"),
        RejectedJSON("line comment after", "[1] // c", "unexpected '/' after the JSON value"),
        RejectedJSON("NUL after the value", bytes: [0x31, 0x00], "unexpected byte 0x00 after the JSON value"),
        // RFC 8259 §4: names "SHOULD be unique"; we insist
        RejectedJSON("duplicate key", #"{"a":1,"a":2}"#, #"duplicate key "a""#),
        RejectedJSON("duplicate key, same value", #"[{"b":{"c":1,"c":1}}]"#, #"duplicate key "c""#),
        RejectedJSON("duplicate key by escape", #"{"a":1,"\u0061":2}"#, #"duplicate key "a""#),
        RejectedJSON("duplicate key, NFC and NFD", "{\"\u{E9}\":1,\"e\u{301}\":2}", "duplicate key"),
    ])
    func rejects(vector: RejectedJSON) {
        #expect {
            try JSONParser.parse(vector.bytes)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.message.contains(vector.reason)
        }
    }

    /// Plain ASCII in strings is skipped eight bytes at a time; whatever needs attention must be
    /// found at every offset within and across those words.
    @Test func stringsFindEveryByteThatMattersAtEveryOffset() throws {
        for offset in 0..<20 {
            let before = String(repeating: "a", count: offset)
            let after = String(repeating: "b", count: 19 - offset)
            for (raw, expected) in [("é", "é"), ("\\n", "\n"), ("\\u0041", "A"), ("\\\"", "\""), ("~", "~")] {
                let value = try JSONParser.parse("\"\(before)\(raw)\(after)\"")
                #expect(value == .string(before + expected + after), "at offset \(offset)")
            }
            let control = Array("\"\(before)".utf8) + [0x1F] + Array("\(after)\"".utf8)
            #expect(throws: JSONParseError.self) { try JSONParser.parse(control) }
            let invalid = Array("\"\(before)".utf8) + [0xFF] + Array("\(after)\"".utf8)
            #expect(throws: JSONParseError.self) { try JSONParser.parse(invalid) }
            let unterminated = Array("\"\(before)".utf8)
            #expect(throws: JSONParseError.self) { try JSONParser.parse(unterminated) }
            #expect(try JSONParser.parse("[\"\(before)\",\"\(after)\"]") == .array([.string(before), .string(after)]))
        }
    }

    /// Objects of more than 16 members index their keys; duplicates must still be found on both sides.
    @Test(arguments: [2, 16, 17, 40])
    func duplicatesAreFoundInObjectsOfAnySize(count: Int) throws {
        let members = (0..<count).map { #""k\#($0)":\#($0)"# }
        let object = try #require(try JSONParser.parse("{" + members.joined(separator: ",") + "}").objectValue)
        #expect(object.count == count)
        #expect(object["k\(count - 1)"] == .number(JSONNumber(count - 1)))
        for repeated in [0, count - 1] {
            let text = "{" + (members + [#""k\#(repeated)":null"#]).joined(separator: ",") + "}"
            #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        }
    }

    @Test func everyRejectionHasAPosition() throws {
        // An error points into the input or just past its end; never before line 1, column 1.
        for text in ["", "[1,]", #"{"a":1,"a":2}"#, "\"\u{1}\"", "[1", "x"] {
            do {
                _ = try JSONParser.parse(text)
                Issue.record("\(text) must be rejected")
            } catch {
                #expect((0...text.utf8.count).contains(error.offset))
                #expect(error.line >= 1 && error.column >= 1)
            }
        }
    }

    // Nesting (docs/record-design.md: deeper than 64 → 400). Depth counts enclosing arrays and objects.

    static func nestedArrays(_ depth: Int) -> [UInt8] {
        Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)
    }

    static func nestedObjects(_ depth: Int) -> [UInt8] {
        Array(String(repeating: #"{"a":"#, count: depth).utf8) + [UInt8(ascii: "1")]
            + Array(repeating: UInt8(ascii: "}"), count: depth)
    }

    static func depth(of value: JSONValue) -> Int {
        switch value {
        case .array(let elements): 1 + (elements.map(depth(of:)).max() ?? 0)
        case .object(let object): 1 + (object.map { depth(of: $0.value) }.max() ?? 0)
        default: 0
        }
    }

    @Test func sixtyFourLevelsAreAccepted() throws {
        #expect(Self.depth(of: try JSONParser.parse(Self.nestedArrays(64))) == 64)
        #expect(Self.depth(of: try JSONParser.parse(Self.nestedObjects(64))) == 64)
        let mixed = String(repeating: #"[{"a":"#, count: 32) + "1" + String(repeating: "}]", count: 32)
        #expect(Self.depth(of: try JSONParser.parse(mixed)) == 64)
    }

    @Test(arguments: [nestedArrays(65), nestedObjects(65)])
    func sixtyFiveLevelsAreRejected(bytes: [UInt8]) {
        #expect {
            try JSONParser.parse(bytes)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            let sixtyFifthOpening = bytes.indices.filter { bytes[$0] == 0x5B || bytes[$0] == 0x7B }[64]
            return error.offset == sixtyFifthOpening && error.message == "arrays and objects nest deeper than 64 levels"
        }
    }

    /// The parser keeps open containers on the heap and stops at the limit, so no depth reaches the stack.
    @Test func aHundredThousandOpeningBracketsAreRejectedAtTheLimit() {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        #expect((try? JSONParser.parse(bytes, maxDepth: 200_000)) == nil, "unclosed, but read without recursion")
        do {
            _ = try JSONParser.parse(bytes)
        } catch {
            #expect(error.offset == 64)
        }
    }

    @Test func maxDepthIsTheCallersChoice() throws {
        #expect(try JSONParser.parse("1", maxDepth: 0) == .number(JSONNumber(1)))
        #expect(throws: JSONParseError.self) { try JSONParser.parse("[]", maxDepth: 0) }
        _ = try JSONParser.parse(Self.nestedArrays(2), maxDepth: 2)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Self.nestedArrays(3), maxDepth: 2) }
        _ = try JSONParser.parse(Self.nestedArrays(10_000), maxDepth: 10_000)
    }

    @Test func slicesAndRawBuffersParseLikeArrays() throws {
        let bytes = Array(#"xx{"a":[1,"b"]}yy"#.utf8)
        let slice = bytes[2..<(bytes.count - 2)]
        let expected = try JSONParser.parse(Array(slice))
        #expect(try JSONParser.parse(slice) == expected)
        let fromRaw = try slice.withUnsafeBytes { raw throws(JSONParseError) in try JSONParser.parse(raw) }
        #expect(fromRaw == expected)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes[0..<3]) }
    }
}
