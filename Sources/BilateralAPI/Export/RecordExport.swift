import HTTPCore
import SQLiteStore

/// Writes every record as NDJSON in the import format (`{"type": "meeting", ...representation}`),
/// read from one transaction: a consistent snapshot of one moment, whatever is written meanwhile.
///
/// Order: sources, actors (organizations first), meetings, statements, initiatives, each by id —
/// so references come before their referrers, with two exceptions that no order avoids: a
/// meeting's `initiative_ids` and an initiative's `meeting_ids` are two views of one relation, so
/// meetings name initiatives further down; and an organization's role may name an organization
/// further down (two may name each other). `RecordImport` accepts references that point forward.
/// Stable: the same database exports the same bytes.
public enum RecordExport {
    /// What `types` accepts, in export order.
    public static let kinds = RecordImport.kinds

    /// Records loaded and rendered per query round.
    static let pageSize = 500
    /// Output is handed to the sink in pieces of about this size.
    static let pieceSize = 64 * 1024

    /// Writes the records of `types` (all when empty) from `db`, which should be inside a read
    /// transaction (`DatabasePool.read`) for a consistent snapshot.
    /// - Parameter sink: receives the NDJSON in pieces; may block (backpressure) or throw to stop.
    /// - Returns: The number of records written.
    public static func write(
        types: Set<String> = [], from db: Database, to sink: ([UInt8]) throws -> Void
    ) throws -> Int {
        var out = Output()
        for type in kinds where types.isEmpty || types.contains(type) {
            switch type {
            case "source": try write(Sources.self, from: db, to: &out, sink)
            case "actor": try write(Actors.self, from: db, to: &out, sink)
            case "meeting": try write(Meetings.self, from: db, to: &out, sink)
            case "statement": try write(Statements.self, from: db, to: &out, sink)
            default: try write(Initiatives.self, from: db, to: &out, sink)
            }
        }
        try out.flush(sink)
        return out.records
    }

    /// The `types` a request or a command line names, checked.
    /// - Throws: 400 naming an unknown type and listing the accepted ones.
    public static func types(_ values: [String]) throws -> Set<String> {
        for value in values where !kinds.contains(value) {
            throw APIError.invalidParameter(
                "types", "unknown value '\(value)'; accepted: \(kinds.joined(separator: ", "))")
        }
        return Set(values)
    }

    private static func write<Kind: RecordKind>(
        _ kind: Kind.Type, from db: Database, to out: inout Output, _ sink: ([UInt8]) throws -> Void
    ) throws {
        let prefix = Array("{\"type\":\"\(Kind.singular)\",".utf8)
        for group in Kind.exportGroups {
            // The table and the group are constants of the code, never input.
            let sql = "SELECT id FROM \(Kind.collection) WHERE (\(group)) AND id > ? ORDER BY id LIMIT \(pageSize)"
            var after = ""
            while true {
                let ids = try db.query(sql, [.text(after)]) { try $0.string(0) }
                guard let last = ids.last else { break }
                for representation in try Kind.representations(of: ids, in: db) {
                    // A representation is an object starting with `{"id":`: the type goes in front.
                    out.bytes.append(contentsOf: prefix)
                    out.bytes.append(contentsOf: representation.dropFirst())
                    out.bytes.append(0x0A)
                    out.records += 1
                    if out.bytes.count >= pieceSize { try out.flush(sink) }
                }
                after = last
                if ids.count < pageSize { break }
            }
        }
    }

    private struct Output {
        var bytes: [UInt8] = []
        var records = 0

        init() {
            bytes.reserveCapacity(RecordExport.pieceSize + 4096)
        }

        mutating func flush(_ sink: ([UInt8]) throws -> Void) throws {
            guard !bytes.isEmpty else { return }
            try sink(bytes)
            bytes.removeAll(keepingCapacity: true)
        }
    }
}
