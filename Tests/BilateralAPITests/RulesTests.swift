import Testing

@testable import BilateralAPI

@Suite("Validation rules")
struct RulesTests {
    @Test(arguments: [
        ("hun-sen", true), ("austin-manet-2024-06-04", true), ("A", true), ("a.b_c:d-e", true),
        (String(repeating: "a", count: 128), true), (String(repeating: "a", count: 129), false),
        ("", false), ("-lead", false), (".lead", false), ("has space", false), ("slash/id", false), ("été", false),
    ])
    func ids(_ id: String, _ valid: Bool) {
        #expect(Rules.isValidID(id) == valid, "\(id)")
    }

    @Test(arguments: [
        ("2024-06-04", true), ("2024-02-29", true), ("2000-02-29", true), ("1900-02-29", false), ("2023-02-29", false),
        ("2024-04-31", false), ("2024-13-01", false), ("2024-00-10", false), ("0000-01-01", false),
        ("9999-12-31", true),
        ("2024-6-4", false), ("2024/06/04", false), ("24-06-04", false), ("2024-06-04T00:00", false), ("", false),
    ])
    func dates(_ date: String, _ valid: Bool) {
        #expect(Rules.isValidDate(date) == valid, "\(date)")
    }

    @Test func precisionNeedsTheFirstDayOfItsPeriod() {
        #expect(Rules.dateFits("2024-06-15", precision: "day"))
        #expect(Rules.dateFits("2024-06-01", precision: "month"))
        #expect(!Rules.dateFits("2024-06-15", precision: "month"))
        #expect(Rules.dateFits("2024-01-01", precision: "year"))
        #expect(!Rules.dateFits("2024-06-01", precision: "year"))
    }

    @Test(arguments: [
        ("en", true), ("km", true), ("km-KH", true), ("zh-Hant-TW", true), ("fil", true),
        ("EN", false), ("english", false), ("e", false), ("en-", false), ("en_US", false), ("en-x", false),
    ])
    func languages(_ tag: String, _ valid: Bool) {
        #expect(Rules.isValidLanguage(tag) == valid, "\(tag)")
    }

    @Test(arguments: [
        ("https://www.defense.gov/News/", true), ("http://example.org", true), ("HTTPS://EXAMPLE.ORG/a?b#c", true),
        ("ftp://example.org", false), ("https://", false), ("https:///path", false), ("example.org", false),
        ("https://exa mple.org", false), ("javascript:alert(1)", false),
    ])
    func urls(_ url: String, _ valid: Bool) {
        #expect(Rules.isValidURL(url) == valid, "\(url)")
    }

    /// maxLength counts Unicode scalars, as JSON Schema's maxLength does, not grapheme clusters or bytes.
    @Test func lengthCountsUnicodeScalars() {
        #expect(Rules.length("Phnom Penh") == 10)
        #expect(Rules.length("ភ្នំពេញ") == 7)
        #expect(Rules.length("é") == 1)
        #expect(Rules.length("e\u{301}") == 2)
    }
}
