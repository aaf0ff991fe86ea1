/// The 249 ISO 3166-1 alpha-2 codes, read once from the bundled table: bodies must use one
/// of them exactly (uppercase), so checking needs no database round trip.
enum KnownCountries {
    static let codes: Set<String> = {
        (try? CountryCatalog.load().map(\.country.code)).map(Set.init) ?? []
    }()

    static func contains(_ code: String) -> Bool { codes.contains(code) }

    /// `code` with its ASCII letters in uppercase, for the case-insensitive lookups of a code.
    /// Not `String.uppercased()`: that maps `ß` to `SS` and `ﬆ` to `ST`, which would name South
    /// Sudan and São Tomé.
    static func uppercased(_ code: String) -> String {
        String(decoding: code.utf8.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}
