/// The ISO 3166-1 table bundled as `Resources/countries.csv`.
enum CountryCatalog {
    struct Entry {
        let country: Country
        let isIndependent: String
    }

    struct FormatError: Error, CustomStringConvertible {
        let description: String
    }

    static let expectedHeader = [
        "alpha2", "alpha3", "numeric", "name", "official_name", "region", "subregion", "is_independent",
    ]

    static func load() throws -> [Entry] {
        let rows = try CSVReader.rows(try BundledResource.text("countries.csv"))
        guard let header = rows.first, header == expectedHeader else {
            throw FormatError(description: "countries.csv: the header must be \(expectedHeader.joined(separator: ","))")
        }
        return try rows.dropFirst().enumerated().map { index, row in
            guard row.count == expectedHeader.count, row[0].utf8.count == 2, row[1].utf8.count == 3,
                row[2].utf8.count == 3
            else {
                throw FormatError(description: "countries.csv line \(index + 2) is malformed")
            }
            func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
            return Entry(
                country: Country(
                    code: row[0], alpha3: row[1], numeric: row[2], name: row[3], officialName: optional(row[4]),
                    region: optional(row[5]), subregion: optional(row[6])),
                isIndependent: row[7])
        }
    }
}
