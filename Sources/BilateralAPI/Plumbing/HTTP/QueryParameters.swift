import HTTPCore

/// A request's query parameters, read strictly: an unknown name, a repeated single-valued one,
/// or a malformed value is a 400 that names it — a typo never silently widens a query.
public struct QueryParameters {
    /// The most values one list parameter takes, repeated or comma-separated. 992 `actor=`
    /// values once built a WHERE clause past SQLite's expression depth (a 500); no filter needs
    /// more than a hundred values, and the repositories keep any number within SQLite's limits.
    public static let maxValues = 100

    private let items: [(name: String, value: String)]

    /// - Parameter allowed: every parameter this endpoint understands.
    /// - Throws: 400 naming the first unknown parameter and listing the accepted ones, or the
    ///   first value holding U+0000 (`%00`), which no filter can match and PostgreSQL cannot
    ///   store in text: refused on every backend alike.
    public init(_ request: Request, allowed: Set<String>) throws {
        items = try request.queryItems()
        for item in items {
            guard allowed.contains(item.name) else {
                let accepted = allowed.sorted().joined(separator: ", ")
                throw APIError.invalidParameter(
                    item.name, "unknown parameter; accepted: \(accepted.isEmpty ? "none" : accepted)")
            }
            if item.value.utf8.contains(0) {
                throw APIError.invalidParameter(item.name, "must not contain the NUL character (U+0000)")
            }
        }
    }

    /// Every value given for `name`, in order; comma-separated lists are split too.
    /// - Throws: 400 when a value is empty or there are more than `maxValues`.
    public func list(_ name: String) throws -> [String] {
        var values: [String] = []
        for item in items where item.name == name {
            for part in item.value.split(separator: ",", omittingEmptySubsequences: false) {
                let value = part.trimmingHTTPWhitespace()
                guard !value.isEmpty else { throw APIError.invalidParameter(name, "must not be empty") }
                guard values.count < Self.maxValues else {
                    throw APIError.invalidParameter(name, "give at most \(Self.maxValues) values")
                }
                values.append(value)
            }
        }
        return values
    }

    /// The one value of `name`, or nil when absent.
    /// - Throws: 400 when repeated or empty.
    public func single(_ name: String) throws -> String? {
        let values = items.filter { $0.name == name }
        guard values.count <= 1 else { throw APIError.invalidParameter(name, "must be given at most once") }
        guard let value = values.first?.value else { return nil }
        guard !value.isEmpty else { throw APIError.invalidParameter(name, "must not be empty") }
        return value
    }

    /// `limit`: 1–500, default 50; outside the range a 400, never silently clamped.
    public func limit(default defaultValue: Int = 50, maximum: Int = 500) throws -> Int {
        guard let text = try single("limit") else { return defaultValue }
        guard let value = Int(text), value >= 1, value <= maximum else {
            throw APIError.invalidParameter("limit", "must be an integer from 1 to \(maximum)")
        }
        return value
    }

    /// Values of `name`, each one of `accepted` (ORed by the caller).
    public func enumeration(_ name: String, accepted: [String]) throws -> [String] {
        let values = try list(name)
        for value in values where !accepted.contains(value) {
            throw APIError.invalidParameter(
                name, "unknown value '\(value)'; accepted: \(accepted.joined(separator: ", "))")
        }
        return values
    }
}
