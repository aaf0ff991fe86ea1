import HTTPCore
import Storage

/// The single-record endpoints of a collection, the same for all five: GET, POST, PUT, PATCH
/// and DELETE, each write authenticated with a `write` key.
struct RecordRoutes<Kind: RecordKind> {
    let service: RecordService<Kind>
    let authenticator: Authenticator

    func register(in router: inout Router) {
        let base = "/v1/\(Kind.collection)"
        router.get("\(base)/{id}") { request in try get(request) }
        let json = authenticator.admission(.write, mediaTypes: ["application/json"])
        let patch = authenticator.admission(.write, mediaTypes: ["application/json", RequestBody.mergePatchType])
        router.post(base, admit: json) { request in try create(request) }
        router.put("\(base)/{id}", admit: json) { request in try put(request) }
        router.patch("\(base)/{id}", admit: patch) { request in try self.patch(request) }
        router.delete("\(base)/{id}", admit: authenticator.admission(.write)) { request in try delete(request) }
    }

    private func id(of request: Request) -> String { request.pathParameters["id"] ?? "" }

    func get(_ request: Request) throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        let id = id(of: request)
        guard Rules.isValidID(id) else { throw APIError.notFound(Kind.singular, id) }
        return Representation.json(try service.representation(of: id), for: request)
    }

    func create(_ request: Request) throws -> Response {
        try authenticator.require(.write, for: request)
        _ = try QueryParameters(request, allowed: [])
        let idempotency = try IdempotencyKey.of(request)
        let written = try service.create(try RequestBody.object(of: request), idempotency: idempotency)
        var status = HTTPStatus.created
        if case .replayed(let code) = written.outcome { status = HTTPStatus(code: code) }
        return answer(written, status: status)
    }

    func put(_ request: Request) throws -> Response {
        try authenticator.require(.write, for: request)
        _ = try QueryParameters(request, allowed: [])
        let id = id(of: request)
        guard Rules.isValidID(id) else { throw APIError.validation([.init(field: "id", message: Rules.idRule)]) }
        let written = try service.put(
            id: id, object: try RequestBody.object(of: request), ifMatch: request.headers["If-Match"],
            ifNoneMatch: request.headers["If-None-Match"])
        return answer(written, status: written.outcome == .created ? .created : .ok)
    }

    func patch(_ request: Request) throws -> Response {
        try authenticator.require(.write, for: request)
        _ = try QueryParameters(request, allowed: [])
        let id = id(of: request)
        guard Rules.isValidID(id) else { throw APIError.notFound(Kind.singular, id) }
        let written = try service.patch(
            id: id, patch: try RequestBody.object(of: request, mergePatch: true), ifMatch: request.headers["If-Match"])
        return answer(written, status: .ok)
    }

    func delete(_ request: Request) throws -> Response {
        try authenticator.require(.write, for: request)
        _ = try QueryParameters(request, allowed: [])
        let id = id(of: request)
        guard Rules.isValidID(id) else { throw APIError.notFound(Kind.singular, id) }
        try service.delete(id: id, ifMatch: request.headers["If-Match"])
        return Response(status: .noContent)
    }

    private func answer(_ written: RecordService<Kind>.Written, status: HTTPStatus) -> Response {
        var headers = HTTPHeaders()
        headers.add("ETag", ETag.of(written.representation))
        if status == .created { headers.add("Location", written.location) }
        return Response(status: status, contentType: "application/json", body: written.representation, headers: headers)
    }
}
