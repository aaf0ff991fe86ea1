import HTTPCore
import Storage

/// Writes every record as NDJSON in the import format (`{"type": "meeting", ...representation}`),
/// read from one transaction: a consistent snapshot of one moment, whatever is written meanwhile.
///
/// Order: sources, actors (organizations first), meetings, statements, initiatives, each by id —
/// so references come before their referrers, with one exception that no order avoids: an
/// organization's role may name an organization further down (two may name each other).
/// `RecordImport` accepts references that point forward. A meeting's `initiative_ids` name
/// initiatives further down too, but they are derived (the initiative owns the link) and ignored
/// on import: the initiative lines, after the meetings, write the links.
/// Stable: the same database exports the same bytes.
public enum RecordExport {
    /// What `types` accepts, in export order.
    public static let kinds = RecordImport.kinds

    /// Output is handed to the sink in pieces of about this size.
    static let pieceSize = 64 * 1024

    /// Writes the records of `types` (all when empty) from `db`, which should be inside a read
    /// transaction (`any DatabaseStore.read`) for a consistent snapshot.
    /// - Parameter sink: receives the NDJSON in pieces; may block (backpressure) or throw to stop.
    /// - Returns: The number of records written.
    public static func write(
        types: Set<String> = [], from db: any Database, to sink: ([UInt8]) throws -> Void
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
        _ kind: Kind.Type, from db: any Database, to out: inout Output, _ sink: ([UInt8]) throws -> Void
    ) throws {
        for group in Kind.exportGroups {
            try Kind.forEachRepresentation(where: group, in: db) { members in
                out.json.beginObject()
                out.json.key("type"); out.json.string(Kind.singular)
                try members(&out.json)
                out.json.endObject()
                out.json.endLine()
                out.records += 1
                if out.json.count >= pieceSize { try out.flush(sink) }
            }
        }
    }

    /// The NDJSON not yet handed to the sink, written in place, and the count of lines so far.
    private struct Output {
        var json = JSONWriter(reservingCapacity: RecordExport.pieceSize + 4096)
        var records = 0

        mutating func flush(_ sink: ([UInt8]) throws -> Void) throws {
            guard !json.isEmpty else { return }
            try sink(json.bytes)
            json.removeAll()
        }
    }
}
