import Testing

@testable import BilateralAPI

@Suite("JSON parse errors: where and why")
struct JSONParseErrorTests {
    static func error(_ text: String) -> JSONParseError? {
        do {
            _ = try JSONParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func aMissingCommaOnTheThirdLine() throws {
        let error = try #require(Self.error("{\n\"id\": \"x\",\n\"title\": \"y\" \"z\"\n}"))
        #expect(error.line == 3)
        #expect(error.column == 14)
        #expect(error.offset == 26)
        #expect(error.description == "line 3, column 14: expected ',' or '}' after an object member")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let error = try #require(Self.error("[\"é\", x]"))
        #expect(error.offset == 7, "é is two bytes")
        #expect((error.line, error.column) == (1, 7))
    }

    @Test func anUnterminatedStringPointsAtItsOpeningQuote() throws {
        let error = try #require(Self.error("{\"a\": \"abc"))
        #expect((error.offset, error.line, error.column) == (6, 1, 7))
        #expect(error.message == "unterminated string")
    }

    @Test func aDuplicateKeyPointsAtTheSecondKey() throws {
        let error = try #require(Self.error("{\n  \"a\": 1,\n  \"a\": 2\n}"))
        #expect((error.line, error.column) == (3, 3))
        #expect(error.message == "duplicate key \"a\" in an object")
    }

    @Test func crlfCountsAsOneLineBreak() throws {
        let error = try #require(Self.error("[1,\r\n2,\r\n]"))
        #expect((error.line, error.column) == (3, 1))
        #expect(error.message == "a trailing comma before ']' is not allowed")
    }

    @Test func emptyInputIsAtTheStart() throws {
        let error = try #require(Self.error(""))
        #expect((error.offset, error.line, error.column) == (0, 1, 1))
    }

    @Test func anEndTooSoonIsAtTheEnd() throws {
        let error = try #require(Self.error("[1,\n"))
        #expect((error.offset, error.line, error.column) == (4, 2, 1))
        #expect(error.description == "line 2, column 1: unexpected end of input; expected a value")
    }

    @Test func aDuplicateKeyIsQuotedEscapedAndCut() throws {
        let long = String(repeating: "k", count: 100)
        let error = try #require(Self.error("{\"\(long)\":1,\"\(long)\":2}"))
        #expect(error.message == "duplicate key \"\(String(repeating: "k", count: 64))…\" in an object")
        let control = try #require(Self.error(#"{"a\nb":1,"a\u000ab":2}"#))
        #expect(control.message == #"duplicate key "a\nb" in an object"#)
    }
}
