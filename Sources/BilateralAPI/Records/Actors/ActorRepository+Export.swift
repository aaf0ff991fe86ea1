import HTTPCore
import Storage

/// Actors as an export writes them: straight from their rows, each table read once in id order
/// (`RecordReader.forEachRow`), with no `StoredRecord` in between.
///
/// The bytes are those of `StoredRecord<ActorContent>.writeMembers`, member for member (a test
/// compares every line with the record's GET representation): a member added there is added here.
extension ActorRepository {
    /// Calls `body` with each actor matching `condition`, by id, as what writes its members.
    static func forEachRepresentation(
        where condition: String, in db: any Database,
        _ body: (_ members: (inout JSONWriter) throws -> Void) throws -> Void
    ) throws {
        try reader.forEachRow(where: condition, in: db) { row, children in
            try body { json in
                // The columns as `columns` lists them.
                json.key("id"); try json.string(row, 0)
                json.key("kind"); try json.string(row, 1)
                json.key("name"); try json.string(row, 2)
                json.key("aliases"); try json.strings(&children, ExportTable.aliases)
                json.key("country"); json.optionalString(row, 3)
                json.key("description"); json.optionalString(row, 4)
                json.key("roles"); json.beginArray()
                try children.forEach(ExportTable.roles) { role in
                    json.beginObject()
                    json.key("title"); try json.string(role, 1)
                    json.key("organization_id"); json.optionalString(role, 2)
                    json.key("start_date"); json.optionalString(role, 3)
                    json.key("end_date"); json.optionalString(role, 4)
                    json.endObject()
                }
                json.endArray()
                json.key("created_at"); try json.string(row, 5)
                json.key("updated_at"); try json.string(row, 6)
                json.key("version"); try json.int(row, 7)
            }
        }
    }

    /// The tables `reader` reads beside the actors, in its order (`lists`).
    private enum ExportTable: Int {
        case aliases, roles
    }
}
