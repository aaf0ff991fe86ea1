import HTTPCore
import Storage

/// One import inside its write transaction: applies the lines chunk by chunk as they come
/// (`StagedImport`), and keeps aside the lines that refer to records not written yet, to apply
/// them together at the end.
///
/// A line whose references all exist is written with its chunk. A line that refers to something
/// missing may refer further down, so it waits (raw, in memory) with every later line of the same
/// record (to keep their order). At the end the waiting lines are written together without
/// reference checks — which lets an initiative name a meeting further down — and then checked; in
/// partial mode a round whose lines are not all sound is rolled back to its savepoint and tried
/// again without the failing lines, until what remains is sound.
struct ImportSession {
    let db: any Database
    let options: RecordImport.Options
    var report = ImportReport()
    private var waiting: [(line: Int, rank: Int, bytes: [UInt8])] = []
    var waitingKeys: Set<String> = []
    /// The lines read since the last chunk was written, parsed and decoded.
    var chunk: [any StagedLine] = []

    init(db: any Database, options: RecordImport.Options) {
        self.db = db
        self.options = options
    }

    mutating func take(_ line: NDJSONLineReader.Line) throws {
        switch line {
        case .tooLong(let number):
            fail(.init(line: number, id: nil, detail: "the line is longer than \(options.maxLineBytes) bytes"))
        case .line(let number, let bytes):
            // Blank lines (spaces and tabs only) are skipped.
            guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            do {
                let (kind, object) = try Self.parse(bytes)
                chunk.append(try Self.decode(kind, object, line: number, bytes: bytes))
                if chunk.count >= options.chunkLines { try writeChunk() }
            } catch var error as ImportReport.LineError {
                error.line = number
                fail(error)
            }
        }
    }

    /// Writes the waiting lines; their failures join the report.
    mutating func finish() throws {
        try writeChunk()
        // Kind by kind in export order (line order within a kind): derived fields (a meeting's
        // countries from its actors, a statement's from its meeting) are computed from records
        // already written in the round.
        var pending = waiting.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }
            .map(\.element)
        waiting = []
        waitingKeys = []
        while !pending.isEmpty {
            let round = try applyTogether(pending)
            if round.failures.isEmpty {
                report.created += round.counts.created
                report.updated += round.counts.updated
                report.unchanged += round.counts.unchanged
                return
            }
            round.failures.forEach { fail($0) }
            // All or nothing: the batch is refused anyway; no need to find which lines would do.
            guard options.mode == .partial else { return }
            let failed = Set(round.failures.map(\.line))
            pending.removeAll { failed.contains($0.line) }
        }
    }

    // MARK: Lines

    private static let kinds: [String: any RecordKind.Type] = [
        "actor": Actors.self, "source": Sources.self, "meeting": Meetings.self, "statement": Statements.self,
        "initiative": Initiatives.self,
    ]

    private static func parse(_ bytes: ArraySlice<UInt8>) throws -> (any RecordKind.Type, JSONObject) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, maxDepth: JSONParser.defaultMaxDepth)
        } catch {
            throw ImportReport.LineError(line: 0, id: nil, detail: "not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw ImportReport.LineError(
                line: 0, id: nil, detail: "a line must be a JSON object, not \(value.typeName)")
        }
        guard let type = object["type"]?.stringValue, let kind = kinds[type] else {
            let accepted = "must be one of \(RecordImport.kinds.joined(separator: ", "))"
            throw ImportReport.LineError(
                line: 0, id: object["id"]?.stringValue,
                detail: object["type"] == nil ? "type is missing" : "unknown type",
                errors: [.init(field: "type", message: accepted)])
        }
        return (kind, object.removing("type"))
    }

    /// Writes one line by itself, through the write path of the single-record endpoints, unless it
    /// waits (a line of its record waits already, or it names a record not written yet).
    /// - Returns: Whether the line was written.
    mutating func apply<Kind: RecordKind>(_ line: StagedImport.Line<Kind>) throws -> Bool {
        let key = "\(Kind.singular)/\(line.id)"
        if waitingKeys.contains(key) {
            wait(line: line.line, bytes: line.bytes, kind: Kind.self, key: key)
            return false
        }
        do {
            let (outcome, _, _) = try RecordService<Kind>.upsert(
                id: line.id, content: line.content, current: try Kind.load(line.id, in: db), in: db)
            count(outcome, in: &report)
            return true
        } catch let error as HTTPError where error.problem.status == .unprocessableContent {
            // An unknown reference, perhaps to a record further down.
            wait(line: line.line, bytes: line.bytes, kind: Kind.self, key: key)
            return false
        } catch let error as HTTPError {
            // A rule checked before writing, such as a source url another source has (409).
            throw ImportReport.LineError(
                line: line.line, id: line.id, detail: error.problem.detail, errors: error.problem.errors,
                errorsOmitted: error.problem.errorsOmitted)
        }
    }

    private static func decode<Kind: RecordKind>(
        _ kind: Kind.Type, _ object: JSONObject, line: Int, bytes: ArraySlice<UInt8>
    ) throws -> any StagedLine {
        let (id, content) = try decode(kind, object)
        return StagedImport.Line<Kind>(line: line, bytes: Array(bytes), id: id, content: content)
    }

    private static func decode<Kind: RecordKind>(_ kind: Kind.Type, _ object: JSONObject) throws
        -> (id: String, content: Kind.Content)
    {
        var errors = FieldErrors()
        let (id, content) = Kind.decode(object, errors: &errors)
        if id == nil && object["id"] == nil { errors.add("id", "is required in an import line") }
        guard errors.isEmpty, let id, let content else {
            throw ImportReport.LineError(
                line: 0, id: id, detail: "invalid \(Kind.singular)", errors: errors.items, errorsOmitted: errors.omitted
            )
        }
        return (id, content)
    }

    mutating func wait<Kind: RecordKind>(line: Int, bytes: [UInt8], kind: Kind.Type, key: String) {
        waiting.append((line, RecordImport.kinds.firstIndex(of: Kind.singular) ?? 0, bytes))
        waitingKeys.insert(key)
    }

    mutating func fail(_ error: ImportReport.LineError) {
        report.failed += 1
        // The list holds the first bad lines by number: lines that waited fail last, yet may come
        // before lines already listed.
        let index = report.errors.firstIndex { $0.line > error.line } ?? report.errors.endIndex
        if report.errors.count < options.maxReportedErrors {
            report.errors.insert(error, at: index)
        } else if index < report.errors.endIndex {
            report.errors.insert(error, at: index)
            report.errors.removeLast()
        }
    }

    func count(_ outcome: RecordService<some RecordKind>.Written.Outcome, in report: inout ImportReport) {
        switch outcome {
        case .created: report.created += 1
        case .replaced: report.updated += 1
        case .unchanged, .replayed: report.unchanged += 1
        }
    }

    // MARK: Waiting lines

    private struct Round {
        var counts = ImportReport()
        var failures: [ImportReport.LineError] = []
    }

    private struct RoundRolledBack: Error {}

    /// Writes `lines` in one savepoint without reference checks, then checks each; in partial
    /// mode, a round with failures is rolled back.
    private func applyTogether(_ lines: [(line: Int, rank: Int, bytes: [UInt8])]) throws -> Round {
        var round = Round()
        do {
            try db.transaction { db in
                var checks: [(line: Int, id: String, check: (inout FieldErrors) throws -> Void)] = []
                for entry in lines {
                    let (kind, object) = try Self.parse(entry.bytes[...])
                    do {
                        checks.append(try write(kind, object, line: entry.line, counts: &round.counts))
                    } catch let error as ImportReport.LineError {
                        round.failures.append(error)
                    }
                }
                for entry in checks {
                    var errors = FieldErrors()
                    try entry.check(&errors)
                    if !errors.isEmpty {
                        round.failures.append(
                            .init(
                                line: entry.line, id: entry.id, detail: "unknown references", errors: errors.items,
                                errorsOmitted: errors.omitted))
                    }
                }
                if !round.failures.isEmpty && options.mode == .partial { throw RoundRolledBack() }
            }
        } catch is RoundRolledBack {
            round.counts = ImportReport()
        }
        return round
    }

    private func write<Kind: RecordKind>(
        _ kind: Kind.Type, _ object: JSONObject, line: Int, counts: inout ImportReport
    ) throws -> (line: Int, id: String, check: (inout FieldErrors) throws -> Void) {
        let (id, content) = try Self.decode(kind, object)
        let outcome: RecordService<Kind>.Written.Outcome
        do {
            outcome = try RecordService<Kind>.upsert(
                id: id, content: content, current: try Kind.load(id, in: db), in: db, checkingReferences: false
            ).outcome
        } catch let error as HTTPError {
            throw ImportReport.LineError(
                line: line, id: id, detail: error.problem.detail, errors: error.problem.errors,
                errorsOmitted: error.problem.errorsOmitted)
        }
        count(outcome, in: &counts)
        let db = self.db
        return (line, id, { errors in try Kind.checkReferences(content, in: db, errors: &errors) })
    }
}
