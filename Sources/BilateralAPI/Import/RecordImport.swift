import HTTPCore
import SQLiteStore

/// Applies NDJSON lines in the import format of SPEC.md (`{"type": "actor", ...record}`) as
/// upserts by id, with the decoders and repositories of the single-record endpoints. All or
/// nothing: references are checked once every line is in (lines may refer forward), and any
/// bad line rolls the whole batch back.
public enum RecordImport {
    public struct Counts: Equatable, Sendable {
        public var created = 0
        public var updated = 0
        public var unchanged = 0

        public init(created: Int = 0, updated: Int = 0, unchanged: Int = 0) {
            self.created = created
            self.updated = updated
            self.unchanged = unchanged
        }
    }

    public struct LineError: Sendable {
        public var line: Int
        public var id: String?
        public var detail: String
        public var errors: [ProblemDetails.FieldError]
    }

    public struct Failure: Error, Sendable {
        public var errors: [LineError]
    }

    public static let kinds = ["actor", "source", "meeting", "statement", "initiative"]

    /// - Throws: `Failure` listing every bad line; nothing is written then.
    public static func apply(_ ndjson: [UInt8], to store: DatabasePool) throws -> Counts {
        try store.write { db in
            // References may point forward; SQLite checks foreign keys at commit instead.
            try db.execute("PRAGMA defer_foreign_keys = ON")
            var counts = Counts()
            var failures: [LineError] = []
            var referenceChecks: [(line: Int, id: String, check: (inout FieldErrors) throws -> Void)] = []
            var lineNumber = 0
            for rawLine in ndjson.split(separator: 0x0A, omittingEmptySubsequences: false) {
                lineNumber += 1
                let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
                guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }
                do {
                    let (id, check) = try upsertLine(Array(line), counts: &counts, in: db)
                    referenceChecks.append((lineNumber, id, check))
                } catch let failure as LineError {
                    failures.append(
                        LineError(line: lineNumber, id: failure.id, detail: failure.detail, errors: failure.errors))
                }
            }
            for entry in referenceChecks {
                var errors = FieldErrors()
                try entry.check(&errors)
                if !errors.isEmpty {
                    failures.append(
                        LineError(line: entry.line, id: entry.id, detail: "unknown references", errors: errors.items))
                }
            }
            if !failures.isEmpty { throw Failure(errors: failures) }
            return counts
        }
    }

    private static func upsertLine(_ bytes: [UInt8], counts: inout Counts, in db: Database) throws
        -> (String, (inout FieldErrors) throws -> Void)
    {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, maxDepth: 64)
        } catch {
            throw LineError(line: 0, id: nil, detail: "not valid JSON: \(error)", errors: [])
        }
        guard case .object(let object) = value else {
            throw LineError(line: 0, id: nil, detail: "a line must be a JSON object", errors: [])
        }
        let type = object["type"]?.stringValue
        let record = object.removing("type")
        switch type {
        case "actor": return try upsert(Actors.self, record, counts: &counts, in: db)
        case "source": return try upsert(Sources.self, record, counts: &counts, in: db)
        case "meeting": return try upsert(Meetings.self, record, counts: &counts, in: db)
        case "statement": return try upsert(Statements.self, record, counts: &counts, in: db)
        case "initiative": return try upsert(Initiatives.self, record, counts: &counts, in: db)
        default:
            throw LineError(
                line: 0, id: object["id"]?.stringValue,
                detail: "type must be one of \(kinds.joined(separator: ", "))",
                errors: [.init(field: "type", message: "must be one of \(kinds.joined(separator: ", "))")])
        }
    }

    private static func upsert<Kind: RecordKind>(
        _ kind: Kind.Type, _ object: JSONObject, counts: inout Counts, in db: Database
    ) throws -> (String, (inout FieldErrors) throws -> Void) {
        var errors = FieldErrors()
        let (id, content) = Kind.decode(object, errors: &errors)
        guard errors.isEmpty, let content, let id else {
            if id == nil, errors.isEmpty { errors.add("id", "is required in an import line") }
            throw LineError(line: 0, id: id, detail: "invalid \(Kind.singular)", errors: errors.items)
        }
        let now = WallClock.nowRFC3339()
        if var current = try Kind.load(id, in: db) {
            if current.content == content {
                counts.unchanged += 1
            } else {
                current.content = content
                current.updatedAt = now
                current.version += 1
                try Kind.update(current, in: db)
                counts.updated += 1
            }
        } else {
            try Kind.insert(StoredRecord(id: id, content: content, createdAt: now, updatedAt: now, version: 1), in: db)
            counts.created += 1
        }
        return (id, { errors in try Kind.checkReferences(content, in: db, errors: &errors) })
    }
}

extension RecordImport.LineError: Error {}
