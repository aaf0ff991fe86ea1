import HTTPCore

/// The JSON object of a write request, or the problem that explains why there is none.
enum RequestBody {
    static let mergePatchType = "application/merge-patch+json"

    /// - Parameter mergePatch: PATCH also accepts `application/merge-patch+json` (RFC 7396).
    /// - Throws: 415 for another media type or charset (`requireMediaType`), 400 for an empty or
    ///   malformed body, 422 when the JSON is not an object.
    static func object(of request: Request, mergePatch: Bool = false) throws -> JSONObject {
        let accepted = mergePatch ? ["application/json", mergePatchType] : ["application/json"]
        try requireMediaType(in: request.headers, accepted: accepted)
        guard !request.body.isEmpty else {
            throw APIError.badRequest("The request body is empty; send a JSON object.")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(request.body, maxDepth: 64)
        } catch {
            throw APIError.badRequest("The request body is not valid JSON: \(error).")
        }
        guard case .object(let object) = value else {
            throw APIError.validation(
                [ProblemDetails.FieldError(field: "$", message: "must be a JSON object, not \(value.typeName)")])
        }
        return object
    }
}
