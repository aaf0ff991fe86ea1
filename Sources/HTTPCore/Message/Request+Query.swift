extension Request {
    /// The query's name/value pairs in order, percent-decoded, `+` read as a space
    /// (the `application/x-www-form-urlencoded` convention browsers and curl use).
    /// - Throws: `HTTPError` 400 when a name or value is not valid percent-encoded UTF-8.
    public func queryItems() throws -> [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        var items: [(name: String, value: String)] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawName = parts[0]
            let rawValue = parts.count > 1 ? parts[1] : ""
            guard let name = PercentDecoding.decode(rawName, plusAsSpace: true),
                let value = PercentDecoding.decode(rawValue, plusAsSpace: true)
            else {
                throw HTTPError(
                    .badRequest,
                    detail: "The query string is not valid percent-encoded UTF-8 near '\(pair.prefix(64))'.")
            }
            items.append((name: name, value: value))
        }
        return items
    }
}
