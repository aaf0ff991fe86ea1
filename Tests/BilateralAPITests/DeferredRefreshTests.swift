import Foundation
import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// An import recomputes derived countries, pair rows and counters set by set, with the pair and
/// counter triggers suspended (`DeferredRefresh`). Whatever the batch size and whatever the lines
/// change, every derived table must end as the triggers would have left it, and the triggers
/// must be back.
@Suite struct DeferredRefreshTests {
    /// Imports `lines` flushing every `batch` noted records; returns the report.
    private static func importLines(
        _ lines: [String], into pool: SQLitePool, batch: Int, mode: RecordImport.Mode = .allOrNothing
    ) throws -> ImportReport {
        var remaining: [UInt8]? = Array(lines.joined(separator: "\n").utf8)
        return try RecordImport.run(
            from: {
                defer { remaining = nil }
                return remaining
            }, into: pool, options: .init(mode: mode, refreshBatch: batch))
    }

    private static func triggers(_ pool: SQLitePool) throws -> [String] {
        try DerivedState.rows("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name", in: pool)
    }

    /// The generated lines with actors moved to other countries, meetings given other
    /// participants and statements other speakers, meetings and countries.
    private static func changed(_ lines: [String]) -> [String] {
        lines.map { line in
            var line = line
            for (old, new) in [
                (#""country":"KH""#, #""country":"JP""#), (#""country":"US""#, #""country":"VN""#),
                (#""actor_id":"person-1""#, #""actor_id":"person-2""#), (#""about":["FR"]"#, #""about":["KH","FR"]"#),
                (#""speaker_id":"person-3""#, #""speaker_id":"person-4""#),
                (#""meeting_id":"meet-7""#, #""meeting_id":"meet-8""#),
            ] where line.contains(old) && !line.contains(#""type":"initiative""#) {
                line = line.replacingOccurrences(of: old, with: new)
            }
            return line
        }
    }

    @Test(arguments: [1, 7, 10_000])
    func everyDerivedTableEndsExactWhateverTheBatch(batch: Int) throws {
        try withStore { pool, _ in
            let before = try Self.triggers(pool)
            let lines = GeneratedRecords.lines(meetings: 120)
            let first = try Self.importLines(lines, into: pool, batch: batch)
            #expect(first.committed && first.failed == 0)
            try DerivedState.expectConsistent(pool, after: "the import, flushing every \(batch)")
            let pairs = try pool.read { try $0.scalar("SELECT count(*) FROM meeting_pairs")?.int ?? 0 }
            #expect(pairs > 20)

            let second = try Self.importLines(Self.changed(lines), into: pool, batch: batch)
            #expect(second.committed && second.failed == 0 && second.updated > 50, "\(second.errors.prefix(3))")
            try DerivedState.expectConsistent(pool, after: "a second import changing countries and lists")
            #expect(try Self.triggers(pool) == before)
        }
    }

    @Test func aRefusedImportChangesNothingAndLeavesTheTriggers() throws {
        try withStore { pool, _ in
            let lines = GeneratedRecords.lines(meetings: 60)
            _ = try Self.importLines(lines, into: pool, batch: 5)
            let before = try Self.triggers(pool)
            let state = try DerivedState.comparisons.map { try DerivedState.rows($0.1, in: pool) }

            // Every derived table changes, then one bad line refuses the whole batch.
            let report = try Self.importLines(
                Self.changed(lines) + [#"{"type":"meeting","id":"bad"}"#], into: pool, batch: 5)
            #expect(!report.committed && report.failed == 1, "\(report.errors.prefix(3))")
            #expect(try DerivedState.comparisons.map { try DerivedState.rows($0.1, in: pool) } == state)
            #expect(try Self.triggers(pool) == before)

            // The triggers work after it: a single write keeps the pair rows exact.
            let meetings = RecordService<Meetings>(store: pool)
            guard
                case .object(let patch) = try JSONParser.parse(
                    Array(
                        #"{"participants":[{"actor_id":"person-5","role":"host"},{"actor_id":"person-6","role":"guest"}]}"#
                            .utf8))
            else {
                Issue.record("not an object")
                return
            }
            _ = try meetings.patch(id: "meet-3", patch: patch, ifMatch: nil)
            try DerivedState.expectConsistent(pool, after: "a PATCH after a refused import")
        }
    }

    @Test func partialImportKeepsTheGoodLinesExact() throws {
        try withStore { pool, _ in
            var lines = GeneratedRecords.lines(meetings: 80)
            // Bad lines among them, one waiting for a reference that never comes.
            lines.insert(#"{"type":"meeting","id":"bad-1"}"#, at: 10)
            lines.insert(
                #"{"type":"meeting","id":"bad-2","title":"T","date":"2024-01-01","kind":"meeting","participants":[{"actor_id":"nobody","role":"host"}]}"#,
                at: 20)
            let report = try Self.importLines(lines, into: pool, batch: 3, mode: .partial)
            #expect(report.committed && report.failed == 2)
            try DerivedState.expectConsistent(pool, after: "a partial import")
        }
    }
}
