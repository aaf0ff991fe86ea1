/// An RFC 9457 problem: the one shape every error response takes.
public struct ProblemDetails: Sendable, Equatable {
    /// One failed rule of a validation problem, with the JSON path of the field.
    public struct FieldError: Sendable, Equatable {
        public var field: String
        public var message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var status: HTTPStatus
    /// A URI reference naming the problem type; `about:blank` means "see the status code" (RFC 9457 §4.2.1).
    public var type: String
    public var title: String
    public var detail: String
    public var instance: String?
    public var errors: [FieldError]
    /// Field errors found but not listed in `errors`, which holds only the first ones; rendered
    /// as `errors_omitted` when not zero.
    public var errorsOmitted: Int
    /// Extra headers the response needs (`Allow`, `WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPHeaders

    public init(
        _ status: HTTPStatus, type: String = "about:blank", title: String? = nil, detail: String,
        instance: String? = nil, errors: [FieldError] = [], errorsOmitted: Int = 0, headers: HTTPHeaders = HTTPHeaders()
    ) {
        self.status = status
        self.type = type
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.instance = instance
        self.errors = errors
        self.errorsOmitted = errorsOmitted
        self.headers = headers
    }

    public static func == (lhs: ProblemDetails, rhs: ProblemDetails) -> Bool {
        lhs.status == rhs.status && lhs.type == rhs.type && lhs.title == rhs.title && lhs.detail == rhs.detail
            && lhs.instance == rhs.instance && lhs.errors == rhs.errors && lhs.errorsOmitted == rhs.errorsOmitted
    }

    /// The JSON body, members in a fixed order so bytes are stable.
    public func jsonBytes() -> [UInt8] {
        var out = JSONWriter()
        out.beginObject()
        out.key("type"); out.string(type)
        out.key("title"); out.string(title)
        out.key("status"); out.int(status.code)
        out.key("detail"); out.string(detail)
        out.key("instance")
        if let instance { out.string(instance) } else { out.null() }
        if !errors.isEmpty {
            out.key("errors")
            out.beginArray()
            for error in errors {
                out.beginObject()
                out.key("field"); out.string(error.field)
                out.key("message"); out.string(error.message)
                out.endObject()
            }
            out.endArray()
        }
        if errorsOmitted > 0 {
            out.key("errors_omitted"); out.int(errorsOmitted)
        }
        out.endObject()
        return out.bytes
    }

    /// The problem as an `application/problem+json` response, never stored by a cache: an error
    /// says what held at one moment (a 503, a 429), and a stored one would outlive it.
    public func response() -> Response {
        var headers = self.headers
        headers.set("Content-Type", "application/problem+json")
        headers.set("Cache-Control", CacheControl.noStore)
        return Response(status: status, headers: headers, body: .bytes(jsonBytes()))
    }
}

/// An error a handler throws to answer with a problem response.
public struct HTTPError: Error, Sendable {
    public var problem: ProblemDetails
    /// The route pattern whose handler threw, set by the router for logs and metrics.
    public var route: String?

    public init(_ problem: ProblemDetails) { self.problem = problem }

    public init(
        _ status: HTTPStatus, detail: String, type: String = "about:blank", headers: HTTPHeaders = HTTPHeaders()
    ) {
        self.problem = ProblemDetails(status, type: type, detail: detail, headers: headers)
    }
}
