import HTTPCore
import Storage

/// `GET /v1/changes`: the change feed, a page at a time; `GET /v1/changes/stream`: the same as
/// Server-Sent Events, then every new change as it commits (`ChangeHub`).
struct ChangeRoutes {
    let store: any DatabaseStore
    let hub: ChangeHub
    /// Under `--private`, what checks a stream's key again while it lasts.
    let privateReads: Authenticator?

    static let defaultLimit = 100
    static let maxLimit = 1000

    func register(in router: inout Router) {
        router.get("/v1/changes") { request in try changes(request) }
        router.get("/v1/changes/stream") { request in try stream(request) }
    }

    func changes(_ request: Request) throws -> Response {
        let query = try QueryParameters(request, allowed: ["since", "limit", "types", "include"])
        let include = try query.enumeration("include", accepted: ["record", "none"])
        guard include.count <= 1 else { throw APIError.invalidParameter("include", "must be given at most once") }
        let feedQuery = ChangeFeed.Query(
            since: try Self.since(try query.single("since"), parameter: "since") ?? 0,
            types: try RecordExport.types(try query.list("types")),
            limit: try query.limit(default: Self.defaultLimit, maximum: Self.maxLimit),
            includeRecord: include.first != "none")
        let page = try store.read { db in try ChangeFeed.read(feedQuery, in: db) }
        var out = JSONWriter(reservingCapacity: 64 + page.changes.reduce(0) { $0 + $1.count + 1 })
        out.beginObject()
        out.key("data")
        out.beginArray()
        for change in page.changes { out.raw(change) }
        out.endArray()
        out.key("next_cursor")
        out.string(String(page.nextSince))
        out.endObject()
        return Representation.json(out.bytes, for: request)
    }

    func stream(_ request: Request) throws -> Response {
        let query = try QueryParameters(request, allowed: ["since", "types"])
        let types = try RecordExport.types(try query.list("types"))
        // A reconnecting `EventSource` names the last event it received, which is newer than the
        // `since` of the URL it first opened.
        let lastEventID = try Self.since(request.headers["Last-Event-ID"], parameter: "Last-Event-ID")
        let since = try lastEventID ?? Self.since(try query.single("since"), parameter: "since")
        // Checked before the stream starts, so a bad position is a problem, not a broken stream.
        let clock = try store.read { db in try ChangeFeed.Clock.read(in: db) }
        let position = since ?? clock.lastSeq
        if position < clock.prunedThrough { throw ChangeFeedGone.error(since: position, clock: clock) }
        var headers = HTTPHeaders()
        headers.add("Content-Type", "text/event-stream; charset=utf-8")
        headers.add("Cache-Control", "no-store")
        // nginx would otherwise hold events in its buffer.
        headers.add("X-Accel-Buffering", "no")
        let hub = self.hub
        // A stream is a read that lasts: once its key is revoked, it gets no more changes. A
        // database that does not answer keeps the stream (the next check asks again).
        let recheck = privateReads.map { authenticator in
            ChangeHub.Recheck(credentials: request.headers["Authorization"] ?? "") { @Sendable () -> HTTPError? in
                do {
                    _ = try authenticator.require(.read, for: request)
                    return nil
                } catch let refusal as HTTPError {
                    return refusal.problem.status == .unauthorized || refusal.problem.status == .forbidden
                        ? refusal : nil
                } catch {
                    return nil
                }
            }
        }
        return Response(
            status: .ok, headers: headers,
            body: .push { stream in hub.subscribe(stream, types: types, after: position, recheck: recheck) })
    }

    /// A sequence number: a whole number from 0.
    static func since(_ text: String?, parameter: String) throws -> Int? {
        guard let text else { return nil }
        guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), text.utf8.count <= 18, let value = Int(text) else {
            throw APIError.invalidParameter(parameter, "must be a whole number from 0: the seq of a change")
        }
        return value
    }
}

/// Tells the change hub that the feed may have grown, after a write through this node answered:
/// the write has committed by then, so its changes are there to read.
struct ChangeWakeMiddleware: Middleware {
    let hub: ChangeHub

    func respond(to request: Request, next: any Responder) throws -> Response {
        let response = try next.respond(to: request)
        switch request.method {
        case .get, .head, .options: break
        default: if (200..<300).contains(response.status.code) { hub.changed() }
        }
        return response
    }
}
