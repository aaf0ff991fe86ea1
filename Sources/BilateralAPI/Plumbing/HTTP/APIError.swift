import HTTPCore

/// The API's errors, each an RFC 9457 problem. Their `type` is `about:blank`, so their `title`
/// is the status phrase (RFC 9457 §4.2.1); `detail` and `errors` say what exactly went wrong.
/// Handlers throw these; the problem middleware
/// renders them. One place decides the status, title and wording of every kind of mistake.
public enum APIError {
    /// 400: a query parameter is unknown, repeated, or malformed. `parameter` becomes the field.
    public static func invalidParameter(_ parameter: String, _ message: String) -> HTTPError {
        HTTPError(
            ProblemDetails(
                .badRequest, detail: "\(parameter): \(message)",
                errors: [.init(field: parameter, message: message)]))
    }

    public static func badRequest(_ detail: String) -> HTTPError {
        HTTPError(.badRequest, detail: detail)
    }

    public static func notFound(_ what: String, _ id: String) -> HTTPError {
        HTTPError(.notFound, detail: "No \(what) has the id '\(id)'.")
    }

    /// 401 with the challenge RFC 6750 §3 asks for.
    public static func unauthorized(_ detail: String, invalidToken: Bool = false) -> HTTPError {
        var headers = HTTPHeaders()
        headers.add(
            "WWW-Authenticate",
            invalidToken ? #"Bearer realm="bilateral", error="invalid_token""# : #"Bearer realm="bilateral""#)
        return HTTPError(.unauthorized, detail: detail, headers: headers)
    }

    public static func forbidden(_ detail: String) -> HTTPError {
        var headers = HTTPHeaders()
        headers.add("WWW-Authenticate", #"Bearer realm="bilateral", error="insufficient_scope""#)
        return HTTPError(.forbidden, detail: detail, headers: headers)
    }

    /// 422 listing every broken rule with the path of its field.
    public static func validation(_ errors: [ProblemDetails.FieldError], detail: String? = nil) -> HTTPError {
        let summary =
            detail
            ?? (errors.count == 1 ? "\(errors[0].field): \(errors[0].message)" : "\(errors.count) fields are invalid.")
        return HTTPError(ProblemDetails(.unprocessableContent, detail: summary, errors: errors))
    }

    /// 422 listing the first `FieldErrors.maxListed` broken rules and counting the rest.
    static func validation(_ errors: FieldErrors) -> HTTPError {
        guard errors.omitted > 0 else { return validation(errors.items) }
        return HTTPError(
            ProblemDetails(
                .unprocessableContent,
                detail: "\(errors.count) fields are invalid; the first \(errors.items.count) are listed.",
                errors: errors.items, errorsOmitted: errors.omitted))
    }

    public static func unavailable(_ detail: String) -> HTTPError {
        HTTPError(.serviceUnavailable, detail: detail)
    }

    /// 429 for a request over its rate-limit budget (RFC 6585 §4), with `Retry-After` in whole
    /// seconds (RFC 9110 §10.2.3) and the IETF draft's `RateLimit-Policy` and `RateLimit` fields.
    public static func rateLimited(_ status: RateLimitStatus, scope: RateLimitScope) -> HTTPError {
        let whose = scope == .key ? "this API key" : "this client address"
        let window = status.budget.window % 3600 == 0 ? "\(status.budget.window / 3600) h" : "\(status.budget.window) s"
        var headers = HTTPHeaders()
        headers.add("Retry-After", String(status.resetSeconds))
        status.write(to: &headers)
        return HTTPError(
            .tooManyRequests,
            detail:
                "Too many \(status.rateClass) requests from \(whose): the budget is \(status.budget.quota) per \(window). Retry in \(status.resetSeconds) s.",
            headers: headers)
    }
}
