import HTTPCore
import Storage

/// `POST /v1/import`: NDJSON records, read while the body arrives (plain, chunked or gzip),
/// applied as upserts in one transaction by `RecordImport`.
struct ImportRoutes {
    static let mediaType = "application/x-ndjson"

    let store: any DatabaseStore
    let authenticator: Authenticator
    /// The body limit of an import (after gzip decoding).
    let maxImportBytes: Int
    /// The longest line: one record is never larger than a single-record request body.
    let maxLineBytes: Int

    func register(in router: inout Router) {
        router.post(
            "/v1/import", streamedBodyLimit: maxImportBytes,
            admit: authenticator.admission(
                .write, mediaTypes: [Self.mediaType],
                advice: "Send the records as Content-Type: \(Self.mediaType), one JSON object per line.")
        ) {
            request in try importRecords(request)
        }
    }

    func importRecords(_ request: Request) throws -> Response {
        // Everything that can refuse the request is checked before the body is read.
        try authenticator.require(.write, for: request)
        let query = try QueryParameters(request, allowed: ["mode", "dry_run"])
        var options = RecordImport.Options(maxLineBytes: maxLineBytes)
        if let mode = try query.single("mode") {
            guard let parsed = RecordImport.Mode(rawValue: mode) else {
                throw APIError.invalidParameter("mode", "unknown value '\(mode)'; accepted: all, partial")
            }
            options.mode = parsed
        }
        switch try query.single("dry_run") {
        case nil, "false": options.dryRun = false
        case "true": options.dryRun = true
        case let other?: throw APIError.invalidParameter("dry_run", "must be true or false, not '\(other)'")
        }
        try RequestBody.requireMediaType(
            in: request.headers, accepted: [Self.mediaType],
            advice: "Send the records as Content-Type: \(Self.mediaType), one JSON object per line.")

        let body = request.bodyReader
        // Wait for the first bytes before taking the write lock, so a client that sends nothing
        // does not hold up every other writer.
        var first = try body.next()
        let report = try RecordImport.run(
            from: {
                if let piece = first {
                    first = nil
                    return piece
                }
                return try body.next()
            }, into: store, options: options)

        var json = JSONWriter(reservingCapacity: 512)
        json.beginObject()
        guard report.committed || (options.dryRun && (report.failed == 0 || options.mode == .partial)) else {
            // All or nothing, and something was bad: a problem that carries the report.
            let problem = ProblemDetails(
                .unprocessableContent,
                detail:
                    "\(report.failed) line(s) are invalid; nothing was \(options.dryRun ? "checked in" : "written").",
                instance: request.path)
            json.key("type")
            json.string(problem.type)
            json.key("title")
            json.string(problem.title)
            json.key("status")
            json.int(problem.status.code)
            json.key("detail")
            json.string(problem.detail)
            json.key("instance")
            json.optionalString(problem.instance)
            report.write(to: &json)
            json.endObject()
            return Response(status: .unprocessableContent, contentType: "application/problem+json", body: json.bytes)
        }
        report.write(to: &json)
        json.endObject()
        return Response(status: .ok, contentType: "application/json", body: json.bytes)
    }
}
