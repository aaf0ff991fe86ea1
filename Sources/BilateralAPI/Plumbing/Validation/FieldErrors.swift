import HTTPCore

/// The rules a request body broke, each with the JSON path of its field, collected so a client
/// learns about every mistake in one answer — up to `maxListed` of them.
///
/// A body of 700,000 unknown keys once answered a 44.7 MB 422. Past the cap an error is only
/// counted (`omitted`, rendered as `errors_omitted`): its path and message are never built.
struct FieldErrors {
    /// The most field errors one record (one body, one import line) lists.
    static let maxListed = 100

    private(set) var items: [ProblemDetails.FieldError] = []
    /// Errors found past `maxListed`, counted only.
    private(set) var omitted = 0

    var isEmpty: Bool { items.isEmpty }

    /// True once `maxListed` errors are listed: further ones are only counted.
    var isFull: Bool { items.count >= Self.maxListed }

    /// Every error found, listed or not.
    var count: Int { items.count + omitted }

    /// Records one error; past the cap only counts it, without evaluating `field` or `message`.
    mutating func add(_ field: @autoclosure () -> String, _ message: @autoclosure () -> String) {
        guard !isFull else {
            omitted += 1
            return
        }
        items.append(ProblemDetails.FieldError(field: field(), message: message()))
    }

    /// Counts `count` errors that are not listed (they are past the cap).
    mutating func addOmitted(_ count: Int) {
        omitted += count
    }

    /// Throws the 422 when anything was recorded.
    func throwIfAny() throws {
        if !items.isEmpty { throw APIError.validation(self) }
    }
}
