import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// CSV a spreadsheet cannot misread: OWASP formula neutralisation, and lists whose items may
/// contain the delimiter.
@Suite("CSV writer")
struct CSVWriterTests {
    static func cell(_ value: String) -> String {
        let out = CSVWriter(header: [value])
        return String(String(decoding: out.bytes, as: UTF8.self).dropLast())  // CRLF is one Character
    }

    @Test(arguments: [
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""), ("+1+2", "\"'+1+2\""),
        ("-2+3", "\"'-2+3\""), ("@SUM(A1)", "\"'@SUM(A1)\""), ("\tx", "\"'\tx\""), ("\rx", "\"'\rx\""),
        ("plain", "plain"), ("a,b", "\"a,b\""), ("", ""),
        // Numbers are numbers, not formulas: left as they are.
        ("-3", "-3"), ("+2.5", "+2.5"), ("42", "42"),
    ])
    func formulasAreNeutralised(value: String, expected: String) {
        #expect(Self.cell(value) == expected)
    }

    @Test func listItemsEscapeTheDelimiter() {
        #expect(CSVWriter.list([]) == "")
        #expect(CSVWriter.list(["a", "b"]) == "a;b")
        #expect(CSVWriter.list(["Samdech; Techo", #"back\slash"#, "x"]) == #"Samdech\; Techo;back\\slash;x"#)
    }

    @Test func aliasesWithSemicolonsAndFormulasOverHTTP() throws {
        try WritingClient.with { client, _ in
            let created = try client.send(
                "POST", "/v1/actors",
                json: #"""
                    {"id":"mallory","kind":"person","name":"=cmd|' /C calc'!A0","country":"KH",
                     "aliases":["a;b","c\\d","-x"],"description":"@risk"}
                    """#)
            #expect(created.status == 201, "\(created.bodyString)")
            let csv = try client.get("/v1/actors?format=csv")
            #expect(csv.status == 200)
            let lines = csv.bodyString.split(separator: "\r\n", omittingEmptySubsequences: false)
            let row = try #require(lines.first { $0.hasPrefix("mallory,") })
            #expect(row.contains(#","'=cmd|' /C calc'!A0","#), "\(row)")
            #expect(row.contains(#",a\;b;c\\d;-x,"#), "\(row)")
            #expect(row.contains(#",KH,"'@risk","#), "\(row)")
            // The JSON keeps the raw values.
            let json = try client.get("/v1/actors/mallory").jsonObject()
            #expect(json["name"] as? String == "=cmd|' /C calc'!A0")
            #expect(json["aliases"] as? [String] == ["a;b", #"c\d"#, "-x"])
        }
    }
}
