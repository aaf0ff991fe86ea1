/// The 249 ISO 3166-1 alpha-2 codes, read once from the bundled table: bodies must use one
/// of them exactly (uppercase), so checking needs no database round trip.
enum KnownCountries {
    static let codes: Set<String> = {
        (try? CountryCatalog.load().map(\.country.code)).map(Set.init) ?? []
    }()

    static func contains(_ code: String) -> Bool { codes.contains(code) }
}
