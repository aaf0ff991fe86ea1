import HTTPCore

/// The rules a request body broke, each with the JSON path of its field, collected so a client
/// learns about every mistake in one answer.
struct FieldErrors {
    private(set) var items: [ProblemDetails.FieldError] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func add(_ field: String, _ message: String) {
        items.append(ProblemDetails.FieldError(field: field, message: message))
    }

    /// Throws the 422 when anything was recorded.
    func throwIfAny() throws {
        if !items.isEmpty { throw APIError.validation(items) }
    }
}
