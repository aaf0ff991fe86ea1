import Foundation
import HTTPCore
import HTTPTestSupport
import Storage
import StoreTestSupport
import Testing

@testable import BilateralAPI

/// Imports written a few lines at a time (`StagedImport`, tiny chunks here) give the reports and
/// records the single-record path gives, on each backend.
@Suite struct StagedImportTests {
    static let actorA = #"{"type":"actor","id":"a","kind":"person","name":"A","country":"KH"}"#
    static let actorB = #"{"type":"actor","id":"b","kind":"person","name":"B","country":"US"}"#
    static let organization = #"{"type":"actor","id":"o","kind":"organization","name":"O"}"#
    static let member =
        #"{"type":"actor","id":"p","kind":"person","name":"P","country":"KH","roles":[{"title":"Chair","organization_id":"o"}]}"#
    static let meeting =
        #"{"type":"meeting","id":"m","title":"A meets B","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"a","role":"host"},{"actor_id":"b","role":"guest"}]}"#
    static let statement =
        #"{"type":"statement","id":"s","speaker_id":"a","date":"2024-06-04","channel":"speech","text":"Hello","meeting_id":"m","about":["FR"]}"#

    /// Runs `body` once per backend with a fresh, migrated store.
    static func withEachStore(_ body: (any DatabaseStore) throws -> Void) throws {
        for backend in TestStore.backends {
            let directory = try TemporaryDirectory()
            try withExtendedLifetime(directory) {
                try TestStore.with(backend, in: directory) { try body($0) }
            }
        }
    }

    static func run(
        _ lines: [String], into store: any DatabaseStore, chunk: Int = 2, mode: RecordImport.Mode = .allOrNothing,
        dryRun: Bool = false
    ) throws -> ImportReport {
        var remaining: [UInt8]? = Array(lines.joined(separator: "\n").utf8)
        return try RecordImport.run(
            from: {
                defer { remaining = nil }
                return remaining
            }, into: store, options: .init(mode: mode, dryRun: dryRun, chunkLines: chunk))
    }

    /// created, updated, unchanged, failed.
    static func counts(_ report: ImportReport) -> [Int] {
        [report.created, report.updated, report.unchanged, report.failed]
    }

    static func count(_ table: String, in store: any DatabaseStore) throws -> Int {
        try store.read { try $0.scalar("SELECT count(*) FROM \(table)")?.int } ?? -1
    }

    static func representation<Kind: RecordKind>(_ kind: Kind.Type, _ id: String, in store: any DatabaseStore)
        throws -> [String: Any]
    {
        let bytes = try store.read { try Kind.representation(of: id, in: $0) }
        return try JSONSerialization.jsonObject(with: Data(bytes ?? [])) as? [String: Any] ?? [:]
    }

    @Test func aBadLineInTheMiddleOfAChunkFailsAloneInPartialMode() throws {
        try Self.withEachStore { store in
            let report = try Self.run(
                [
                    Self.actorA, #"{"type":"actor","id":"x","kind":"person"}"#, Self.actorB, Self.meeting,
                    Self.statement,
                ],
                into: store, chunk: 4, mode: .partial)
            #expect(report.committed)
            #expect(Self.counts(report) == [4, 0, 0, 1])
            #expect(report.errors.map(\.line) == [2])
            let detail = report.errors.first?.detail
            #expect(detail == "invalid actor")
            #expect(try Self.count("actors", in: store) == 2)
            let meeting = try Self.representation(Meetings.self, "m", in: store)
            #expect(meeting["countries"] as? [String] == ["KH", "US"])
            #expect(meeting["version"] as? Int == 1)
            #expect(meeting["created_at"] as? String == meeting["updated_at"] as? String)
            let statement = try Self.representation(Statements.self, "s", in: store)
            #expect(statement["countries"] as? [String] == ["FR", "KH", "US"])
        }
    }

    @Test func allOrNothingRollsBackChunksAlreadyWritten() throws {
        try Self.withEachStore { store in
            let report = try Self.run(
                [Self.actorA, Self.actorB, Self.meeting, #"{"type":"meeting","id":"n"}"#], into: store, chunk: 2)
            #expect(!report.committed)
            #expect(Self.counts(report) == [0, 0, 0, 1])
            #expect(report.errors.map(\.line) == [4])
            for table in ["actors", "meetings", "meeting_participants", "meeting_countries"] {
                #expect(try Self.count(table, in: store) == 0, "\(table)")
            }
        }
    }

    @Test func aDryRunCountsAndWritesNothing() throws {
        try Self.withEachStore { store in
            let report = try Self.run([Self.actorA, Self.actorB, Self.meeting], into: store, chunk: 2, dryRun: true)
            #expect(!report.committed && report.dryRun)
            #expect(Self.counts(report) == [3, 0, 0, 0])
            #expect(try Self.count("actors", in: store) == 0)
            #expect(try Self.count("meetings", in: store) == 0)
        }
    }

    @Test func forwardReferencesAcrossChunksWaitForTheEnd() throws {
        try Self.withEachStore { store in
            let report = try Self.run(
                [Self.statement, Self.meeting, Self.member, Self.actorA, Self.organization, Self.actorB], into: store,
                chunk: 2)
            #expect(report.committed, "\(report.errors)")
            #expect(Self.counts(report) == [6, 0, 0, 0])
            #expect(try Self.representation(Meetings.self, "m", in: store)["countries"] as? [String] == ["KH", "US"])
            let roles = try Self.representation(Actors.self, "p", in: store)["roles"] as? [[String: Any]]
            #expect(roles?.first?["organization_id"] as? String == "o")
        }
    }

    @Test func aRoleNamingAPersonIsALineErrorAsBefore() throws {
        try Self.withEachStore { store in
            let member = Self.member.replacingOccurrences(
                of: #""organization_id":"o""#, with: #""organization_id":"a""#)
            let report = try Self.run([Self.actorA, member], into: store, chunk: 5, mode: .partial)
            #expect(Self.counts(report) == [1, 0, 0, 1])
            let message = report.errors.first?.errors.first?.message
            #expect(message == "'a' is a person, not an organization")
        }
    }

    @Test func aSecondImportIsUnchangedAndLeavesVersionsAndTimes() throws {
        try Self.withEachStore { store in
            let lines = [Self.organization, Self.member, Self.actorA, Self.actorB, Self.meeting, Self.statement]
            let first = try Self.run(lines, into: store, chunk: 3)
            #expect(Self.counts(first) == [6, 0, 0, 0])
            let before = try Self.representation(Meetings.self, "m", in: store)
            let second = try Self.run(lines, into: store, chunk: 3)
            #expect(Self.counts(second) == [0, 0, 6, 0])
            let after = try Self.representation(Meetings.self, "m", in: store)
            #expect(after["version"] as? Int == 1)
            #expect(after["updated_at"] as? String == before["updated_at"] as? String)
        }
    }

    @Test func aRecordTwiceInOneChunkIsCreatedThenReplaced() throws {
        try Self.withEachStore { store in
            let renamed = Self.actorA.replacingOccurrences(of: #""name":"A""#, with: #""name":"A2""#)
            let report = try Self.run([Self.actorA, Self.actorB, renamed, Self.meeting], into: store, chunk: 10)
            #expect(Self.counts(report) == [3, 1, 0, 0])
            let actor = try Self.representation(Actors.self, "a", in: store)
            #expect(actor["name"] as? String == "A2")
            #expect(actor["version"] as? Int == 2)
        }
    }

    @Test func textWithTabsNewlinesAndBackslashesArrivesIntact() throws {
        try Self.withEachStore { store in
            let name = "A\tB\\C\nD\r\\N é"
            var json = JSONWriter(reservingCapacity: 64)
            json.strings([name])
            let quoted = String(decoding: json.bytes.dropFirst().dropLast(), as: UTF8.self)
            let line = #"{"type":"actor","id":"t","kind":"organization","name":\#(quoted),"description":"\\N"}"#
            let report = try Self.run([line], into: store)
            #expect(report.committed, "\(report.errors)")
            let actor = try Self.representation(Actors.self, "t", in: store)
            #expect(actor["name"] as? String == name)
            #expect(actor["description"] as? String == "\\N")
        }
    }

    /// The export of `store`, without the members an import sets anew (times, versions).
    static func export(_ store: any DatabaseStore) throws -> [String] {
        var bytes: [UInt8] = []
        _ = try store.read { db in try RecordExport.write(from: db) { bytes += $0 } }
        return ExportRoutesTests.normalized(String(decoding: bytes, as: UTF8.self))
    }

    /// SQLite → PostgreSQL → SQLite (or SQLite alone without a server) gives the same lines.
    @Test func theRoundTripCrossesBackends() throws {
        let lines = GeneratedRecords.lines()
        let order = TestStore.backends + [.sqlite]
        var exports: [[String]] = []
        var input = lines
        for backend in order {
            let directory = try TemporaryDirectory()
            let export = try withExtendedLifetime(directory) {
                try TestStore.with(backend, in: directory) { store in
                    let report = try Self.run(input, into: store, chunk: 500)
                    #expect(report.committed && report.failed == 0, "\(backend): \(report.errors.prefix(3))")
                    return try Self.export(store)
                }
            }
            exports.append(export)
            input = export
        }
        #expect(exports[0].count > 100)
        for (backend, export) in zip(order.dropFirst(), exports.dropFirst()) {
            let differing = zip(exports[0], export).first { $0 != $1 }
            #expect(
                export.count == exports[0].count && differing == nil, "\(backend): \(String(describing: differing))")
        }
    }
}
