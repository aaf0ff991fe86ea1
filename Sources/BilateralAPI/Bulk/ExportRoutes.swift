import HTTPCore
import Storage

/// `GET /v1/export`: every record (or those of `types`) as NDJSON in the import format, streamed
/// with chunked coding from one read transaction (`RecordExport`). The body is produced only as
/// fast as the client reads it, on a stream place of its own (`Router.getStreaming`).
struct ExportRoutes {
    let store: any DatabaseStore

    func register(in router: inout Router) {
        router.getStreaming("/v1/export") { request in try export(request) }
    }

    func export(_ request: Request) throws -> Response {
        let query = try QueryParameters(request, allowed: ["types"])
        let types = try RecordExport.types(try query.list("types"))
        let store = self.store
        var headers = HTTPHeaders()
        headers.add("Content-Type", ImportRoutes.mediaType)
        headers.add("Content-Disposition", #"inline; filename="bilateral.ndjson""#)
        return Response(
            status: .ok, headers: headers,
            body: .stream { writer in
                // The head is out: a failure from here on truncates the body (no last chunk),
                // which a client can tell from a complete export.
                // A connection of its own: a slow client holds this snapshot, never a pool reader.
                try store.snapshotRead { db in
                    _ = try RecordExport.write(types: types, from: db) { try writer.write($0) }
                }
            })
    }
}
