import Testing

@testable import BilateralAPI

@Suite("CSV reader (RFC 4180)")
struct CSVReaderTests {
    @Test(arguments: [
        ("a,b,c\n", [["a", "b", "c"]]),
        ("a,b\n1,2", [["a", "b"], ["1", "2"]]),  // no final newline
        ("a,\"b,c\",d\n", [["a", "b,c", "d"]]),  // quoted comma
        ("\"say \"\"hi\"\"\",x\n", [["say \"hi\"", "x"]]),  // doubled quotes
        ("a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]]),  // CRLF
        ("\"two\nlines\",x\n", [["two\nlines", "x"]]),  // line break inside quotes
        ("a,,c\n,\n", [["a", "", "c"], ["", ""]]),  // empty fields
        ("\"\"\n", [[""]]),  // an empty quoted field
        ("Åland,Côte d’Ivoire\n", [["Åland", "Côte d’Ivoire"]]),
        ("", []),
    ])
    func rows(text: String, expected: [[String]]) throws {
        #expect(try CSVReader.rows(text) == expected)
    }

    @Test func unterminatedQuoteIsAnErrorNamingTheLine() {
        #expect(throws: CSVReader.FormatError.self) { try CSVReader.rows("a,b\n\"open,x\n") }
        do {
            _ = try CSVReader.rows("a,b\n1,2\n\"open\nstill open")
            Issue.record("an unterminated quote must throw")
        } catch let error as CSVReader.FormatError {
            #expect(error.line >= 3, "the line of the quote or a later one")
            #expect(error.description.contains("unterminated"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func theBundledCountriesParse() throws {
        let rows = try CSVReader.rows(try BundledResource.text("countries.csv"))
        #expect(rows.count == 250, "a header and 249 countries")
        #expect(rows.allSatisfy { $0.count == 8 })
    }
}
