import HTTPCore
import Storage

/// Statements as an export writes them: straight from their rows (the speaker's name and country
/// joined in), each table read once in id order (`RecordReader.forEachRow`), with no
/// `StatementView` in between.
///
/// The bytes are those of `StatementView.writeMembers`, member for member (a test compares every
/// line with the record's GET representation): a member added there is added here.
extension StatementRepository {
    /// Calls `body` with each statement matching `condition`, by id, as what writes its members.
    static func forEachRepresentation(
        where condition: String, in db: any Database,
        _ body: (_ members: (inout JSONWriter) throws -> Void) throws -> Void
    ) throws {
        try reader.forEachRow(where: condition, in: db) { row, children in
            try body { json in
                // The columns as `columns` lists them.
                json.key("id"); try json.string(row, 0)
                json.key("speaker_id"); try json.string(row, 1)
                json.key("speaker"); json.beginObject()
                json.key("name"); try json.string(row, 13)
                json.key("country"); json.optionalString(row, 14)
                json.endObject()
                json.key("date"); try json.string(row, 2)
                json.key("date_precision"); try json.string(row, 3)
                json.key("channel"); try json.string(row, 4)
                json.key("platform"); json.optionalString(row, 5)
                json.key("text"); try json.string(row, 6)
                json.key("paraphrase"); json.bool(try row.int(7) != 0)
                json.key("language"); json.optionalString(row, 8)
                json.key("meeting_id"); json.optionalString(row, 9)
                json.key("about"); try json.strings(&children, ExportTable.about)
                json.key("countries"); try json.strings(&children, ExportTable.countries)
                json.key("topics"); try json.strings(&children, ExportTable.topics)
                json.key("source_ids"); try json.strings(&children, ExportTable.sources)
                json.key("created_at"); try json.string(row, 10)
                json.key("updated_at"); try json.string(row, 11)
                json.key("version"); try json.int(row, 12)
            }
        }
    }

    /// The tables `reader` reads beside the statements, in its order (`lists`).
    private enum ExportTable: Int {
        case about, topics, sources, countries
    }
}
