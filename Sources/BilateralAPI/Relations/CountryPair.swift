import HTTPCore

/// Two different countries, in code order: `us/kh`, `KH/US` and `kh/us` are the same pair.
struct CountryPair: Sendable, Hashable {
    /// The smaller code.
    let a: String
    /// The larger code.
    let b: String

    var codes: [String] { [a, b] }

    init(a: String, b: String) {
        self.a = min(a, b)
        self.b = max(a, b)
    }

    /// The pair named by the path parameters `a` and `b`, case-insensitive, in either order.
    /// - Throws: 400 naming the parameter when a code is unknown, or when both name one country.
    static func of(_ request: Request) throws -> CountryPair {
        var codes: [String] = []
        for name in ["a", "b"] {
            let code = KnownCountries.uppercased(request.pathParameters[name] ?? "")
            guard KnownCountries.contains(code) else {
                throw APIError.invalidParameter(
                    name,
                    "unknown country code '\(request.pathParameters[name] ?? "")'; use ISO 3166-1 alpha-2, like KH")
            }
            codes.append(code)
        }
        guard codes[0] != codes[1] else {
            throw APIError.invalidParameter(
                "b", "a relation is between two different countries, not \(codes[0]) and itself")
        }
        return CountryPair(a: codes[0], b: codes[1])
    }

    /// `"countries": ["A", "B"]`, the member every relation body starts with.
    func write(to json: inout JSONWriter) {
        json.key("countries")
        json.strings(codes)
    }
}
