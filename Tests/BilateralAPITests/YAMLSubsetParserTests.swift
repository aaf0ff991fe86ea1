import Testing

@testable import BilateralAPI

@Suite("YAML subset parser")
struct YAMLSubsetParserTests {
    private func parse(_ lines: String...) throws -> YAMLValue {
        try YAMLSubsetParser.parse(lines.joined(separator: "\n") + "\n")
    }

    private func parseError(_ text: String) -> YAMLSubsetError? {
        do {
            _ = try YAMLSubsetParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func mappingKeepsOrderAndScalarText() throws {
        let value = try parse("zeta: 1", "alpha: two words", "mid: 3.1.0", "flag: true")
        #expect(
            value
                == .mapping([
                    YAMLEntry("zeta", .plain("1")), YAMLEntry("alpha", .plain("two words")),
                    YAMLEntry("mid", .plain("3.1.0")), YAMLEntry("flag", .plain("true")),
                ]))
        #expect(value["flag"]?.bool == true)
    }

    @Test func nestedMappingsAndPaths() throws {
        let value = try parse(
            "paths:", "  /v1/countries/{code}:", "    get:", "      summary: Get a country", "  /healthz:",
            "    get: {}")
        #expect(value[path: "paths", "/v1/countries/{code}", "get", "summary"] == .plain("Get a country"))
        #expect(value[path: "paths", "/healthz", "get"] == .mapping([]))
        #expect(value["paths"]?.entries?.map(\.key) == ["/v1/countries/{code}", "/healthz"])
    }

    @Test func sequencesOfMappings() throws {
        let value = try parse(
            "parameters:",
            "  - name: limit",
            "    in: query",
            "  - $ref: '#/components/parameters/Cursor'",
            "  -",
            "    name: q",
            "next: 1")
        #expect(
            value["parameters"]
                == .sequence([
                    .mapping([YAMLEntry("name", .plain("limit")), YAMLEntry("in", .plain("query"))]),
                    .mapping([YAMLEntry("$ref", .string("#/components/parameters/Cursor"))]),
                    .mapping([YAMLEntry("name", .plain("q"))]),
                ]))
        #expect(value["next"] == .plain("1"))
    }

    @Test func sequenceAtTheIndentationOfItsKey() throws {
        let value = try parse("tags:", "- a", "- b", "after: x")
        #expect(value["tags"] == .sequence([.plain("a"), .plain("b")]))
        #expect(value["after"] == .plain("x"))
    }

    @Test func nestedSequences() throws {
        let value = try parse("- - a", "  - b", "- c")
        #expect(value == .sequence([.sequence([.plain("a"), .plain("b")]), .plain("c")]))
    }

    @Test func doubleQuotedEscapes() throws {
        let value = try parse(#"text: "say \"hi\"\\ tab\there\nline \u00e9 \x41 \U0001F600 \/""#)
        #expect(value["text"] == .string("say \"hi\"\\ tab\there\nline é A 😀 /"))
    }

    @Test func singleQuotedDoublesItsQuote() throws {
        let value = try parse("a: 'it''s'", "b: ''", "c: 'back\\slash'")
        #expect(value["a"] == .string("it's"))
        #expect(value["b"] == .string(""))
        #expect(value["c"] == .string("back\\slash"))
    }

    @Test func quotedKeys() throws {
        let value = try parse("'200':", "  description: OK", "\"text/plain; version=0.0.4\": x")
        #expect(value[path: "200", "description"] == .plain("OK"))
        #expect(value["text/plain; version=0.0.4"] == .plain("x"))
    }

    @Test func commentsAreDroppedButNotInsideQuotes() throws {
        let value = try parse(
            "# leading comment",
            "a: plain # trailing",
            "b: \"# not a comment\"  # but this is",
            "c: 'x # y'",
            "d: x#y",
            "  # indented comment line",
            "e: # nothing here",
            "f: [a, b] # after a flow sequence")
        #expect(value["a"] == .plain("plain"))
        #expect(value["b"] == .string("# not a comment"))
        #expect(value["c"] == .string("x # y"))
        #expect(value["d"] == .plain("x#y"))
        #expect(value["e"] == .null)
        #expect(value["f"] == .sequence([.plain("a"), .plain("b")]))
    }

    @Test func emptyValuesAndNulls() throws {
        let value = try parse("a:", "b: ~", "c: null", "d: 'null'", "e: []", "f: {}")
        #expect(value["a"] == .null)
        #expect(value["b"] == .null)
        #expect(value["c"] == .null)
        #expect(value["d"] == .string("null"))
        #expect(value["e"] == .sequence([]))
        #expect(value["f"] == .mapping([]))
        #expect(try YAMLSubsetParser.parse("") == .null)
        #expect(try YAMLSubsetParser.parse("# only a comment\n\n") == .null)
    }

    @Test func flowSequencesOfScalars() throws {
        let value = try parse("a: [string, 'null']", "b: [ x , \"y, z\" ,]", "c: [Africa, null]")
        #expect(value["a"] == .sequence([.plain("string"), .string("null")]))
        #expect(value["b"] == .sequence([.plain("x"), .string("y, z")]))
        #expect(value["c"] == .sequence([.plain("Africa"), .null]))
    }

    @Test func literalBlockScalars() throws {
        let value = try parse(
            "clip: |", "  one", "    indented", "", "  two", "", "",
            "strip: |-", "  kept # not a comment", "",
            "keep: |+", "  end", "", "",
            "next: x")
        #expect(value["clip"] == .string("one\n  indented\n\ntwo\n"))
        #expect(value["strip"] == .string("kept # not a comment"))
        #expect(value["keep"] == .string("end\n\n\n"))
        #expect(value["next"] == .plain("x"))
    }

    @Test func foldedBlockScalars() throws {
        let value = try parse(
            "folded: >", "  a b", "  c", "", "  d", "    code", "  e",
            "stripped: >-", "  one", "  two",
            "in-list:", "  - |", "    item", "  - >", "    x", "    y")
        #expect(value["folded"] == .string("a b c\nd\n  code\ne\n"))
        #expect(value["stripped"] == .string("one two"))
        #expect(value["in-list"] == .sequence([.string("item\n"), .string("x y\n")]))
    }

    @Test func blockScalarAtEndOfInputWithoutNewline() throws {
        let value = try YAMLSubsetParser.parse("a: |\n  last")
        #expect(value["a"] == .string("last\n"))
    }

    @Test func windowsLineEndingsAndByteOrderMark() throws {
        let value = try YAMLSubsetParser.parse("\u{FEFF}a: 1\r\nb:\r\n  - x\r\n")
        #expect(value == .mapping([YAMLEntry("a", .plain("1")), YAMLEntry("b", .sequence([.plain("x")]))]))
    }

    @Test func jsonOfExamplesKeepsQuotedNumbersAsStrings() throws {
        let value = try parse("numeric: '116'", "status: 400", "ok: true", "none: null", "list: [a]")
        #expect(
            value.json(indent: "", level: 0).split(separator: "\n").joined()
                == #"{"numeric": "116","status": 400,"ok": true,"none": null,"list": ["a"]}"#)
    }

    struct Rejection: Sendable, CustomStringConvertible {
        let text: String
        let line: Int
        let message: String
        var description: String { message }
    }

    @Test(arguments: [
        Rejection(text: "a:\n\tb: 1\n", line: 2, message: "tab in indentation"),
        Rejection(text: "a: 1\nb: &anchor 2\n", line: 2, message: "anchors"),
        Rejection(text: "a: 1\nb: *anchor\n", line: 2, message: "aliases"),
        Rejection(text: "a: !!str 1\n", line: 1, message: "tags"),
        Rejection(text: "a:\n  b: 1\n   c: 2\n", line: 3, message: "unexpected indentation"),
        Rejection(text: "a:\n    b: 1\n  c: 2\n", line: 3, message: "unexpected indentation"),
        Rejection(text: "a: 1\n  b: 2\n", line: 2, message: "unexpected indentation"),
        Rejection(text: "a: plain\n  continued\n", line: 2, message: "unexpected indentation"),
        Rejection(text: "a: {b: 1}\n", line: 1, message: "flow mappings"),
        Rejection(text: "a: [x, [y]]\n", line: 1, message: "nested flow"),
        Rejection(text: "a: [x, y\n", line: 1, message: "unterminated flow sequence"),
        Rejection(text: "a: [x # y]\n", line: 1, message: "unterminated flow sequence"),
        Rejection(text: "a: [x, \"y\" z]\n", line: 1, message: "expected ',' or ']'"),
        Rejection(text: "a: \"open\n", line: 1, message: "unterminated double-quoted"),
        Rejection(text: "a: 'open\n", line: 1, message: "unterminated single-quoted"),
        Rejection(text: "a: \"bad \\q\"\n", line: 1, message: "unknown escape"),
        Rejection(text: "a: 1\na: 2\n", line: 2, message: "duplicate key"),
        Rejection(text: "a: 1\n---\nb: 2\n", line: 2, message: "document markers"),
        Rejection(text: "%YAML 1.2\na: 1\n", line: 1, message: "directives"),
        Rejection(text: "? complex\n", line: 1, message: "complex keys"),
        Rejection(text: "a: b: c\n", line: 1, message: "cannot contain ': '"),
        Rejection(text: "a: - b\n", line: 1, message: "block sequence cannot start"),
        Rejection(text: "a: |2\n  x\n", line: 1, message: "indentation indicators"),
        Rejection(text: "a: \"x\" y\n", line: 1, message: "unexpected text after a quoted scalar"),
        Rejection(text: "- a\nb: 1\n", line: 2, message: "unexpected content"),
        Rejection(text: "a:\n  - x\n  y: 1\n", line: 3, message: "unexpected indentation"),
        Rejection(text: "a:\n  b: 1\n  - x\n", line: 3, message: "sequence item where a mapping key"),
    ])
    func rejectsWhatTheSubsetDoesNotSupport(_ rejection: Rejection) throws {
        let error = try #require(parseError(rejection.text))
        #expect(error.line == rejection.line, "\(error)")
        #expect(error.message.contains(rejection.message), "\(error)")
        #expect(error.description.hasPrefix("line \(rejection.line): "))
    }
}
