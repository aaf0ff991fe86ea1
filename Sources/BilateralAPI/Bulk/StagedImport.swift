import HTTPCore
import Storage

/// How an import writes a chunk of lines (`RecordImport.Options.chunkLines`) with a few
/// statements per table instead of a few per line: on PostgreSQL each statement is a round trip.
///
/// Each line was parsed and validated as it was read, with the texts of the single-record
/// endpoints. For the chunk, the ids the lines name — their own and their references — are looked
/// up with one query per table (``KnownRecords``). Then, in line order, a line that creates a
/// record whose references exist (in the database, or created by an earlier line) is staged: its
/// rows join those of the chunk, and the record counts as existing for the lines after it. A line
/// whose record exists and would not change is counted unchanged, the stored records having been
/// loaded for the chunk with one query per table (``Currents``). A line naming a record not
/// written yet waits for the end, as the 422 of the single-record path made it wait. Every other
/// line — a replace that changes something, a kind written one by one
/// (`RecordKind.stagedRows(of:)`) — goes through the single-record write path as before, once the
/// rows staged so far are written. The
/// staged rows are written table by table (`TableRows.load`: `COPY` on PostgreSQL), then what
/// creating them derives, set by set (`RecordKind.created(_:in:)`).
///
/// Versions and timestamps are what `RecordService.upsert` gives a new record: version 1, and
/// `created_at` = `updated_at` = the time of the line.
enum StagedImport {
    /// A parsed and validated line.
    struct Line<Kind: RecordKind>: StagedLine {
        let line: Int
        let bytes: [UInt8]
        let id: String
        let content: Kind.Content

        func ask(_ known: KnownRecords, in db: any Database) throws {
            known.ask(id, in: Kind.collection)
            // The kind's own checks, while `known` notes what they look up: errors are not read.
            var errors = FieldErrors()
            try Kind.checkReferences(content, in: db, errors: &errors)
        }

        func want(_ currents: inout Currents, known: KnownRecords) {
            if known.exists(id, in: Kind.collection) { currents.want(id, of: Kind.self) }
        }

        func write(
            in session: inout ImportSession, known: KnownRecords, currents: Currents, staged: inout Staged
        ) throws {
            let key = "\(Kind.singular)/\(id)"
            // A later line of a record that waits waits too, to keep their order.
            if session.waitingKeys.contains(key) {
                session.wait(line: line, bytes: bytes, kind: Kind.self, key: key)
                return
            }
            let exists = known.exists(id, in: Kind.collection)
            if exists, !known.wasWritten(id, in: Kind.collection),
                currents.current(id, of: Kind.self)?.content == content
            {
                // `RecordService.upsert` writes nothing either.
                session.report.unchanged += 1
                return
            }
            // What `RecordService.upsert` would refuse with a 422, told without a query: the line
            // waits, as it would.
            var errors = FieldErrors()
            try known.answering(on: session.db) {
                try Kind.checkReferences(content, in: session.db, errors: &errors)
            }
            if !errors.isEmpty {
                session.wait(line: line, bytes: bytes, kind: Kind.self, key: key)
                return
            }
            if !exists, stage(in: &session, known: known, staged: &staged) { return }
            try staged.write(in: session.db)
            if try session.apply(self) {
                known.note(id, in: Kind.collection, tag: Kind.referenceTag(of: content))
            }
        }

        /// Stages a new record whose references exist.
        /// - Returns: false for a kind written one by one.
        private func stage(in session: inout ImportSession, known: KnownRecords, staged: inout Staged) -> Bool {
            let now = WallClock.nowRFC3339()
            let record = StoredRecord(id: id, content: content, createdAt: now, updatedAt: now, version: 1)
            guard let rows = Kind.stagedRows(of: record) else { return false }
            staged.add(rows, record: record, of: Kind.self)
            known.note(id, in: Kind.collection, tag: Kind.referenceTag(of: content))
            session.report.created += 1
            return true
        }
    }

    /// The stored records that a chunk's lines name by their own id, loaded with one query per
    /// table (`RecordKind.loadAll`), to tell a replace that changes nothing without a load each.
    struct Currents {
        private var wanted: [String: (ids: [String], load: ([String], any Database) throws -> [String: Any])] = [:]
        private var loaded: [String: [String: Any]] = [:]

        mutating func want<Kind: RecordKind>(_ id: String, of kind: Kind.Type) {
            wanted[
                Kind.singular,
                default: (
                    [],
                    { ids, db in
                        var records: [String: Any] = [:]
                        for record in try Kind.loadAll(ids, in: db) { records[record.id] = record }
                        return records
                    }
                )
            ].ids.append(id)
        }

        /// Loads every record wanted.
        mutating func load(in db: any Database) throws {
            for (kind, entry) in wanted { loaded[kind] = try entry.load(entry.ids, db) }
            wanted = [:]
        }

        func current<Kind: RecordKind>(_ id: String, of kind: Kind.Type) -> StoredRecord<Kind.Content>? {
            loaded[Kind.singular]?[id] as? StoredRecord<Kind.Content>
        }
    }

    /// The rows of the records a chunk creates, by kind in export order (records a line refers to
    /// come before it), not yet written.
    struct Staged {
        private var rows = Array(repeating: TableRows(), count: RecordImport.kinds.count)
        private var ids = Array(repeating: [String](), count: RecordImport.kinds.count)
        private var changes = Array(repeating: [ChangeLog.Entry](), count: RecordImport.kinds.count)
        private var created: [((SQLValue, any Database) throws -> Void)?] =
            Array(repeating: nil, count: RecordImport.kinds.count)

        mutating func add<Kind: RecordKind>(_ rows: TableRows, record: StoredRecord<Kind.Content>, of kind: Kind.Type) {
            let rank = RecordImport.kinds.firstIndex(of: Kind.singular) ?? 0
            // In place: a copy of the stage's rows taken out and put back would copy them all.
            self.rows[rank].append(rows)
            ids[rank].append(record.id)
            // The feed renders these records when it is read (`ChangeLog.Entry.record`).
            changes[rank].append(
                .init(type: Kind.singular, id: record.id, op: .create, version: 1, at: record.updatedAt, record: nil))
            if created[rank] == nil { created[rank] = { ids, db in try Kind.created(ids, in: db) } }
        }

        /// Writes the staged rows, then what they derive, and empties the stage.
        mutating func write(in db: any Database) throws {
            guard ids.contains(where: { !$0.isEmpty }) else { return }
            let (rows, ids, created, changes) = (self.rows, self.ids, self.created, self.changes)
            self = Staged()
            for kindRows in rows { try kindRows.load(in: db) }
            // Numbered kind by kind, as written: references before their referrers.
            try ChangeLog.append(changes.flatMap { $0 }, in: db)
            for (kindIDs, kindCreated) in zip(ids, created) {
                guard let kindCreated, !kindIDs.isEmpty else { continue }
                var json = JSONWriter(reservingCapacity: kindIDs.count * 16)
                json.strings(kindIDs)
                try kindCreated(.text(String(decoding: json.bytes, as: UTF8.self)), db)
            }
        }
    }
}

/// A line of a chunk, whatever its kind (``StagedImport/Line``).
protocol StagedLine {
    var line: Int { get }
    /// Notes in `known` the ids the line names: its own and its references.
    func ask(_ known: KnownRecords, in db: any Database) throws
    /// Notes in `currents` the line's own id if its record exists.
    func want(_ currents: inout StagedImport.Currents, known: KnownRecords)
    /// Stages the line, counts it unchanged, or writes it by itself (after what is staged).
    func write(
        in session: inout ImportSession, known: KnownRecords, currents: StagedImport.Currents,
        staged: inout StagedImport.Staged
    ) throws
}

extension ImportSession {
    /// Writes the lines of ``chunk``.
    mutating func writeChunk() throws {
        guard !chunk.isEmpty else { return }
        let lines = chunk
        chunk = []
        let known = KnownRecords()
        try known.answering(on: db) {
            for line in lines { try line.ask(known, in: db) }
        }
        try known.lookUp(in: db)
        var currents = StagedImport.Currents()
        for line in lines { line.want(&currents, known: known) }
        try currents.load(in: db)
        var staged = StagedImport.Staged()
        for line in lines {
            do {
                try line.write(in: &self, known: known, currents: currents, staged: &staged)
            } catch let error as ImportReport.LineError {
                fail(error)
            }
        }
        try staged.write(in: db)
    }
}
