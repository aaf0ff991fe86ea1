import HTTPCore
import Storage

/// Applies NDJSON in the import format (`openapi.yaml`, `POST /v1/import`) (`{"type": "actor", ...record}` per line) as
/// upserts by id, through the write step of the single-record endpoints
/// (`RecordService.upsert`): the same decoding, validation, reference checks and versioning.
///
/// The lines are read as they arrive, in one write transaction, and written a chunk at a time
/// (`StagedImport`): memory holds one chunk of lines (plus the lines whose references point
/// further down, until the end). Other writers wait for
/// that transaction, however long the body takes to arrive; readers are never blocked (WAL).
/// Used by `POST /v1/import`, `bilateral import` and the bundled sample.
public enum RecordImport {
    /// What to do with the good lines when some are bad.
    public enum Mode: String, Sendable, CaseIterable {
        /// Any bad line and nothing is written (the default).
        case allOrNothing = "all"
        /// The good lines are written; the bad ones are reported.
        case partial
    }

    /// How an import runs (`mode` and `dry_run` of `POST /v1/import`, and the limits).
    public struct Options: Sendable {
        public var mode: Mode
        /// Validate and count, then roll everything back.
        public var dryRun: Bool
        /// Bad lines listed in the report; the rest are only counted.
        public var maxReportedErrors: Int
        /// A longer line is a line error (one record is never larger than one request body).
        public var maxLineBytes: Int
        /// Records whose derived countries wait to be recomputed together (``DeferredRefresh``);
        /// nil for the engine's own number (`SQLDialect.deferredRefreshBatch`).
        public var refreshBatch: Int?
        /// Lines read, checked and written together (`StagedImport`): what memory holds of the
        /// input at most, besides the lines that wait.
        public var chunkLines: Int

        public init(
            mode: Mode = .allOrNothing, dryRun: Bool = false, maxReportedErrors: Int = 100,
            maxLineBytes: Int = 10 * 1024 * 1024, refreshBatch: Int? = nil, chunkLines: Int = 2_000
        ) {
            self.mode = mode
            self.dryRun = dryRun
            self.maxReportedErrors = maxReportedErrors
            self.maxLineBytes = maxLineBytes
            self.refreshBatch = refreshBatch
            self.chunkLines = max(1, chunkLines)
        }
    }

    /// What a committed import did, for callers that need only the counts (the sample).
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

    /// An all-or-nothing import refused: every bad line (up to the cap), nothing written.
    public struct Failure: Error, Sendable {
        public var report: ImportReport
        public var errors: [ImportReport.LineError] { report.errors }
    }

    /// The `type` of each kind of line, in the order an export writes them.
    public static let kinds = ["source", "actor", "meeting", "statement", "initiative"]

    /// Reads NDJSON from `nextPiece` until it returns nil and applies it in one transaction.
    /// - Parameter nextPiece: the next bytes of the input (`RequestBodyStream.next`, a file read).
    /// - Returns: The report; `committed` says whether anything was written.
    /// - Throws: What `nextPiece` throws (nothing is written then), or ``SQLiteError``.
    public static func run(
        from nextPiece: @escaping () throws -> [UInt8]?, into store: any DatabaseStore, options: Options = Options()
    ) throws -> ImportReport {
        do {
            return try store.writeAlone { db in
                // References may point forward (an initiative to a meeting further down): SQLite
                // checks foreign keys at the commit instead of at each statement.
                try db.deferForeignKeys()
                // Its set refreshes and the commit's deferred checks grow with the import.
                try db.allowLongStatements()
                var session = ImportSession(db: db, options: options)
                var lines = NDJSONLineReader(maxLineBytes: options.maxLineBytes, nextPiece: nextPiece)
                // Derived countries and pair rows are recomputed for thousands of records at a
                // time, not line by line.
                let flushAt = options.refreshBatch ?? SQLDialect.of(db).deferredRefreshBatch
                try DeferredRefresh.during(in: db, flushAt: flushAt) { deferral in
                    while let line = try lines.next() {
                        try session.take(line)
                        try deferral.flushIfFull(in: db)
                    }
                    try session.finish()
                }
                var report = session.report
                report.dryRun = options.dryRun
                if options.dryRun || (options.mode == .allOrNothing && report.failed > 0) {
                    if !options.dryRun {
                        report.created = 0
                        report.updated = 0
                        report.unchanged = 0
                    }
                    throw Discarded(report: report)
                }
                report.committed = true
                return report
            }
        } catch let discarded as Discarded {
            return discarded.report
        }
    }

    /// Applies a whole NDJSON text, all or nothing (the sample, tests).
    /// - Throws: ``Failure`` listing the bad lines; nothing is written then.
    public static func apply(_ ndjson: [UInt8], to store: any DatabaseStore) throws -> Counts {
        var remaining: [UInt8]? = ndjson
        let report = try run(
            from: {
                defer { remaining = nil }
                return remaining
            }, into: store)
        guard report.committed else { throw Failure(report: report) }
        return Counts(created: report.created, updated: report.updated, unchanged: report.unchanged)
    }

    /// Rolls the transaction back while keeping the report.
    private struct Discarded: Error {
        var report: ImportReport
    }
}
