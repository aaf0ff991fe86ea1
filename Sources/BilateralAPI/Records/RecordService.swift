import HTTPCore
import Storage

/// The one write path of every collection: create, replace, merge-patch and delete, with
/// validation, reference checks, preconditions, and versions that move only on real change.
struct RecordService<Kind: RecordKind>: Sendable {
    let store: any DatabaseStore

    /// A record after a write, ready to answer with.
    struct Written {
        enum Outcome: Equatable {
            case created, replaced, unchanged
            /// An idempotent retry: the first answer's status.
            case replayed(status: Int)
        }
        let id: String
        let outcome: Outcome
        let representation: [UInt8]
        /// Where the record lives (the first answer's, for a replay).
        var location: String { replayedLocation ?? "/v1/\(Kind.collection)/\(id)" }
        var replayedLocation: String? = nil
    }

    /// `store.write`, counted as a wait (`HandlerWait`): while this write queues for the writer,
    /// another request takes the handler's place, and writes that arrive together commit together.
    /// Runs `body` as one write. Its checks (the id is free, the references exist, the
    /// idempotency key is new) and its writes are one transaction, but on PostgreSQL another node
    /// may commit in between: the engine then refuses a write with a unique or foreign-key
    /// violation, and `body` runs again, when its checks see that write and answer as they would
    /// have (a 409, a 422, a replay). A race that persists becomes a 409, never a 500.
    private func write<T>(_ body: (any Database) throws -> T) throws -> T {
        try HandlerWait.run {
            var attempt = 1
            while true {
                do {
                    return try store.write(body)
                } catch let error as any DatabaseError
                    where error.kind == .uniqueViolation || error.kind == .foreignKeyViolation
                {
                    guard attempt < Self.writeAttempts else {
                        throw HTTPError(
                            .conflict, detail: "A concurrent write changed the records this one depends on; retry.")
                    }
                    attempt += 1
                }
            }
        }
    }

    /// How many times a write that lost a race to another node runs in all.
    static var writeAttempts: Int { 3 }

    func representation(of id: String) throws -> [UInt8] {
        try store.read { db in
            guard let representation = try Kind.representation(of: id, in: db) else {
                throw APIError.notFound(Kind.singular, id)
            }
            return representation
        }
    }

    /// POST: a new record; its id is the body's or a generated one. With an idempotency key, a
    /// retry of the same body gets the first answer again instead of a second record.
    func create(_ object: JSONObject, idempotency: IdempotencyKey? = nil) throws -> Written {
        let (givenID, content) = try decode(object)
        return try write { db in
            // Generated per attempt: a retry after a unique violation gets a fresh one.
            let id = givenID ?? RecordID.generate()
            if let idempotency, try !idempotency.claim(in: db), let earlier = try idempotency.replay(in: db) {
                return Written(
                    id: id, outcome: .replayed(status: earlier.status), representation: earlier.representation,
                    replayedLocation: earlier.location)
            }
            // A generated id is new: only one the body gave can name a record that exists.
            if givenID != nil, try Kind.exists(id, in: db) {
                throw HTTPError(
                    .conflict, detail: "A \(Kind.singular) with the id '\(id)' exists already; PUT replaces it.")
            }
            let written = try insert(id: id, content: content, in: db)
            try idempotency?.remember(
                status: 201, location: "/v1/\(Kind.collection)/\(id)", representation: written.representation, in: db)
            return written
        }
    }

    /// PUT: creates or replaces `id`. A replace that changes nothing leaves version and updated_at.
    func put(id: String, object: JSONObject, ifMatch: String?, ifNoneMatch: String?) throws -> Written {
        let (bodyID, content) = try decode(object)
        if let bodyID, bodyID != id {
            throw APIError.validation([
                .init(field: "id", message: "must be '\(id)', the id in the path, or be left out")
            ])
        }
        return try write { db in
            let current = try Kind.load(id, in: db)
            try checkPreconditions(current: current, ifMatch: ifMatch, ifNoneMatch: ifNoneMatch, in: db)
            guard let current else { return try insert(id: id, content: content, in: db) }
            return try replace(current, with: content, in: db)
        }
    }

    /// PATCH (RFC 7396): the patch applies to the current representation; the result must be
    /// valid as a whole, like a PUT.
    func patch(id: String, patch: JSONObject, ifMatch: String?) throws -> Written {
        try write { db in
            guard let current = try Kind.load(id, in: db) else { throw APIError.notFound(Kind.singular, id) }
            try checkPreconditions(current: current, ifMatch: ifMatch, ifNoneMatch: nil, in: db)
            let base = try JSONParser.parse(try Kind.render(current, in: db))
            guard case .object(let patched) = JSONMergePatch.apply(.object(patch), to: base) else {
                throw APIError.badRequest("A merge patch must be a JSON object.")
            }
            let (patchedID, content) = try decode(patched)
            if let patchedID, patchedID != id {
                throw APIError.validation([.init(field: "id", message: "cannot change; it is '\(id)'")])
            }
            return try replace(current, with: content, in: db)
        }
    }

    /// A change computed from the current content (e.g. appending a status change), saved as a
    /// replace with the same checks; `status` 201 answers are remembered for idempotent retries.
    func modify(
        id: String, ifMatch: String?, idempotency: IdempotencyKey?, change: (inout Kind.Content) -> Void
    ) throws -> Written {
        try write { db in
            guard let current = try Kind.load(id, in: db) else { throw APIError.notFound(Kind.singular, id) }
            if let idempotency, try !idempotency.claim(in: db), let earlier = try idempotency.replay(in: db) {
                return Written(
                    id: id, outcome: .replayed(status: earlier.status), representation: earlier.representation,
                    replayedLocation: earlier.location)
            }
            try checkPreconditions(current: current, ifMatch: ifMatch, ifNoneMatch: nil, in: db)
            var content = current.content
            change(&content)
            let written = try replace(current, with: content, in: db)
            try idempotency?.remember(
                status: 201, location: written.location, representation: written.representation, in: db)
            return written
        }
    }

    /// DELETE: refused with 409 while other records refer to it.
    func delete(id: String, ifMatch: String?) throws {
        try write { db in
            guard let current = try Kind.load(id, in: db) else { throw APIError.notFound(Kind.singular, id) }
            try checkPreconditions(current: current, ifMatch: ifMatch, ifNoneMatch: nil, in: db)
            let referrers = try Kind.referrers(of: id, in: db)
            guard referrers.isEmpty else {
                let shown = referrers.prefix(20).joined(separator: ", ")
                let more = referrers.count > 20 ? " and \(referrers.count - 20) more" : ""
                throw HTTPError(
                    .conflict,
                    detail:
                        "The \(Kind.singular) '\(id)' cannot be deleted while other records refer to it: \(shown)\(more)."
                )
            }
            try ChangeLog.fillPending(
                type: Kind.singular, id: id, representation: { try Kind.render(current, in: db) }, in: db)
            try Kind.delete(id, in: db)
            try ChangeLog.append(
                .init(
                    type: Kind.singular, id: id, op: .delete, version: current.version,
                    at: WallClock.nowRFC3339(), record: nil),
                in: db)
        }
    }

    // MARK: Steps

    private func decode(_ object: JSONObject) throws -> (id: String?, content: Kind.Content) {
        var errors = FieldErrors()
        let (id, content) = Kind.decode(object, errors: &errors)
        try errors.throwIfAny()
        guard let content else {
            throw APIError.validation([.init(field: "$", message: "is not a valid \(Kind.singular)")])
        }
        return (id, content)
    }

    private func insert(id: String, content: Kind.Content, in db: any Database) throws -> Written {
        let (outcome, _, representation) = try Self.upsert(
            id: id, content: content, current: nil, in: db, rendering: true)
        return Written(id: id, outcome: outcome, representation: representation)
    }

    private func replace(_ current: StoredRecord<Kind.Content>, with content: Kind.Content, in db: any Database) throws
        -> Written
    {
        let (outcome, record, representation) = try Self.upsert(
            id: current.id, content: content, current: current, in: db, rendering: true)
        return Written(id: record.id, outcome: outcome, representation: representation)
    }

    /// The write step every create and replace shares — PUT, POST, PATCH and each import line:
    /// inserts `id` (version 1) or replaces `current`, and appends the change to the feed
    /// (`ChangeLog`); a replace that changes nothing writes nothing, so `version` and
    /// `updated_at` move only on real change, and the feed gets nothing either.
    /// - Parameters:
    ///   - current: the stored record with this id, if any (loaded by the caller, inside `db`'s
    ///     transaction).
    ///   - checkingReferences: false only for an import's lines written together with the lines
    ///     they refer to; the import checks their references itself before it commits.
    ///   - rendering: whether to render the representation (the answer of a single-record write,
    ///     and its change's record); an import's lines leave it for the feed to render.
    /// - Returns: The representation (for an unchanged record too) when `rendering`, else empty.
    /// - Throws: 422 (`APIError.validation`) naming every unknown reference, before writing anything.
    static func upsert(
        id: String, content: Kind.Content, current: StoredRecord<Kind.Content>?, in db: any Database,
        checkingReferences: Bool = true, rendering: Bool = false
    ) throws -> (outcome: Written.Outcome, record: StoredRecord<Kind.Content>, representation: [UInt8]) {
        if let current, current.content == content {
            return (.unchanged, current, rendering ? try Kind.render(current, in: db) : [])
        }
        if checkingReferences { try checkReferences(content, in: db) }
        let now = WallClock.nowRFC3339()
        let outcome: Written.Outcome
        var record: StoredRecord<Kind.Content>
        if let current {
            // The change that made `current`, if an import left it unrendered, keeps it.
            try ChangeLog.fillPending(
                type: Kind.singular, id: id, representation: { try Kind.render(current, in: db) }, in: db)
            record = current
            record.content = content
            record.updatedAt = now
            record.version += 1
            try Kind.update(record, in: db)
            outcome = .replaced
        } else {
            record = StoredRecord(id: id, content: content, createdAt: now, updatedAt: now, version: 1)
            try Kind.insert(record, in: db)
            outcome = .created
        }
        let representation = rendering ? try Kind.render(record, in: db) : []
        try ChangeLog.append(
            .init(
                type: Kind.singular, id: id, op: outcome == .created ? .create : .update, version: record.version,
                at: now, record: rendering ? representation : nil),
            in: db)
        return (outcome, record, representation)
    }

    /// - Throws: 422 naming every reference of `content` that does not exist.
    static func checkReferences(_ content: Kind.Content, in db: any Database) throws {
        var errors = FieldErrors()
        try Kind.checkReferences(content, in: db, errors: &errors)
        try errors.throwIfAny()
    }

    /// RFC 9110 §13.1.1–2: If-Match (strong comparison; `*` needs a current record) and
    /// If-None-Match on writes (`*`: create only). Evaluated inside the write transaction, so no
    /// other write can slip between the check and the change.
    private func checkPreconditions(
        current: StoredRecord<Kind.Content>?, ifMatch: String?, ifNoneMatch: String?, in db: any Database
    ) throws {
        // The tag costs a render (queries, for meetings) inside the write lock: only when asked.
        guard ifMatch != nil || ifNoneMatch != nil else { return }
        let tag = try current.map { ETag.of(try Kind.render($0, in: db)) }
        if let ifMatch, !ETag.matches(ifMatch, current: tag) {
            throw HTTPError(
                .preconditionFailed,
                detail: tag == nil
                    ? "If-Match was given but the \(Kind.singular) does not exist."
                    : "The \(Kind.singular) has changed: its ETag is \(tag ?? ""), not one named in If-Match.")
        }
        if let ifNoneMatch, let tag, !ETag.noneMatch(ifNoneMatch, current: tag) {
            throw HTTPError(
                .preconditionFailed, detail: "The \(Kind.singular) exists and If-None-Match forbids replacing it.")
        }
    }
}
