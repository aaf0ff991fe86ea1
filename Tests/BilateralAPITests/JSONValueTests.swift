import Testing

@testable import BilateralAPI

@Suite("JSON values, numbers and objects")
struct JSONValueTests {
    static func number(_ text: String) throws -> JSONNumber {
        try #require(JSONNumber(text), "\(text) is a JSON number")
    }

    @Test(arguments: [
        ("0", 0), ("-0", 0), ("100", 100), ("1e2", 100), ("1E+2", 100), ("1.0", 1), ("1.50e1", 15),
        ("-1.5e1", -15), ("12300e-2", 123), ("0.1e1", 1), ("0.0", 0), ("0e999999999999999999999", 0),
        ("9007199254740993", 9_007_199_254_740_993),  // 2^53 + 1: a Double would round it
        ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min), ("9.223372036854775807e18", Int.max),
    ])
    func exactIntegers(text: String, expected: Int) throws {
        #expect(try Self.number(text).int == expected)
    }

    @Test(arguments: [
        "1.5", "1e-1", "100e-3", "0.5e0", "9223372036854775808", "-9223372036854775809", "1e19",
        "1e999999999999", "123456789012345678901234567890", "1e-999999999999",
    ])
    func notExactIntegers(text: String) throws {
        #expect(try Self.number(text).int == nil)
    }

    @Test func doubles() throws {
        #expect(try Self.number("1.5").double == 1.5)
        #expect(try Self.number("-2e-3").double == -0.002)
        #expect(try Self.number("9007199254740993").double == 9_007_199_254_740_992)
        #expect(try Self.number("-0").double?.sign == .minus)
        #expect(try Self.number("1e400").double == nil, "too large for a Double")
    }

    @Test func numbersFromText() {
        for valid in ["1", "-0.5e+3", "0", "1E9"] { #expect(JSONNumber(valid)?.text == valid) }
        for invalid in ["", "+1", " 1", "1 ", "01", "1.", ".5", "NaN", "1e", "0x1", "[1]"] {
            #expect(JSONNumber(invalid) == nil, "\(invalid)")
        }
    }

    @Test func numbersFromSwift() {
        #expect(JSONNumber(-42).text == "-42")
        #expect(JSONNumber(1.5)?.text == "1.5")
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(-Double.infinity) == nil)
        if let text = JSONNumber(1e-5)?.text { #expect(JSONNumber(text) != nil, "Swift's \(text) is JSON") }
    }

    @Test func numbersCompareByText() throws {
        #expect(try Self.number("1") == Self.number("1"))
        #expect(try Self.number("1") != Self.number("1.0"))
        #expect(try Self.number("1e0") != Self.number("1"))
    }

    @Test func helpersAndTypeNames() throws {
        let value = try JSONParser.parse(#"[null, true, 1, "s", [], {}]"#)
        let elements = try #require(value.arrayValue)
        #expect(elements.map(\.typeName) == ["null", "boolean", "number", "string", "array", "object"])
        #expect(elements[0].isNull && !elements[1].isNull)
        #expect(elements[1].boolValue == true && elements[2].boolValue == nil)
        #expect(elements[2].numberValue?.int == 1)
        #expect(elements[3].stringValue == "s" && elements[2].stringValue == nil)
        #expect(elements[4].arrayValue == [] && elements[5].arrayValue == nil)
        #expect(elements[5].objectValue?.isEmpty == true && elements[4].objectValue == nil)
    }

    @Test func objectsKeepMemberOrder() throws {
        let object = try #require(try JSONParser.parse(#"{"z":1,"a":2,"m":3}"#).objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object.map(\.key) == ["z", "a", "m"])
        #expect(object.count == 3)
        #expect(object["a"] == .number(JSONNumber(2)))
        #expect(object["missing"] == nil)
    }

    @Test func settingReplacesInPlaceOrAppends() {
        let object = JSONObject([("a", .null), ("b", .bool(true))])
        let replaced = object.setting("a", .string("x"))
        #expect(replaced.keys == ["a", "b"] && replaced["a"] == .string("x"))
        let appended = object.setting("c", .null)
        #expect(appended.keys == ["a", "b", "c"])
        #expect(object.keys == ["a", "b"], "the original is a value")
    }

    @Test func removingKeepsLookupsRight() {
        let object = JSONObject([
            ("a", .number(JSONNumber(1))), ("b", .number(JSONNumber(2))), ("c", .number(JSONNumber(3))),
        ])
        let removed = object.removing("a")
        #expect(removed.keys == ["b", "c"])
        #expect(removed["c"] == .number(JSONNumber(3)), "positions after the removed member moved down")
        #expect(removed.setting("c", .null).keys == ["b", "c"])
        #expect(object.removing("missing") == object)
    }

    @Test func aRepeatedKeyInTheInitializerKeepsItsFirstPlaceAndLastValue() {
        let object = JSONObject([("a", .bool(false)), ("b", .null), ("a", .bool(true))])
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == .bool(true))
    }

    @Test func objectEqualityIgnoresOrder() throws {
        let one = try JSONParser.parse(#"{"a":1,"b":[{"c":2,"d":3}]}"#)
        #expect(one == (try JSONParser.parse(#"{"b":[{"d":3,"c":2}],"a":1}"#)))
        #expect(one != (try JSONParser.parse(#"{"a":1,"b":[{"c":2}]}"#)))
        #expect(one != (try JSONParser.parse(#"{"a":1.0,"b":[{"c":2,"d":3}]}"#)))
        #expect(try JSONParser.parse("[1,2]") != JSONParser.parse("[2,1]"), "arrays are ordered")
    }

    /// Past 16 members an object indexes its keys; lookups must agree across the change.
    @Test func largeObjectsLookUpSetAndRemoveLikeSmallOnes() {
        var object = JSONObject()
        for index in 0..<40 {
            object["k\(index)"] = .number(JSONNumber(index))
            #expect(object["k0"] == .number(JSONNumber(0)) && object["k\(index)"] == .number(JSONNumber(index)))
        }
        object["k5"] = .null
        #expect(object.keys[5] == "k5" && object["k5"] == .null)
        for index in stride(from: 0, to: 40, by: 2) { object = object.removing("k\(index)") }
        #expect(object.count == 20)
        #expect(object.keys == (0..<20).map { "k\(2 * $0 + 1)" })
        #expect(object.allSatisfy { object[$0.key] == $0.value })
        #expect(object["k4"] == nil)
        for index in 0..<5 { object = object.removing("k\(2 * index + 1)") }
        #expect(object.count == 15)
        #expect(object.allSatisfy { object[$0.key] == $0.value })
        object = object.setting("k0", .bool(true))
        #expect(object.keys.last == "k0" && object["k0"] == .bool(true))
        for index in 100..<110 { object["k\(index)"] = .null }
        #expect(object.count == 26 && object.allSatisfy { object[$0.key] == $0.value })
    }
}
