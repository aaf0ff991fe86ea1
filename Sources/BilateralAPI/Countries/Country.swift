import HTTPCore

/// An ISO 3166-1 country or territory, read-only reference data.
public struct Country: Sendable, Equatable {
    public var code: String
    public var alpha3: String
    public var numeric: String
    public var name: String
    public var officialName: String?
    public var region: String?
    public var subregion: String?

    public init(
        code: String, alpha3: String, numeric: String, name: String, officialName: String?, region: String?,
        subregion: String?
    ) {
        self.code = code
        self.alpha3 = alpha3
        self.numeric = numeric
        self.name = name
        self.officialName = officialName
        self.region = region
        self.subregion = subregion
    }

    /// Writes the API representation, fields in SPEC order.
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("code"); json.string(code)
        json.key("alpha3"); json.string(alpha3)
        json.key("numeric"); json.string(numeric)
        json.key("name"); json.string(name)
        json.key("official_name"); json.optionalString(officialName)
        json.key("region"); json.optionalString(region)
        json.key("subregion"); json.optionalString(subregion)
        json.endObject()
    }
}
