import HTTPCore
import Storage

/// People and organisations.
enum Actors: RecordKind {
    typealias Content = ActorContent
    static let singular = "actor"
    static let collection = "actors"

    static func decode(_ object: JSONObject, errors: inout FieldErrors) -> (id: String?, content: ActorContent?) {
        var body = ObjectReader(object)
        body.ignore("created_at", "updated_at", "version")
        body.forbidNull("id", errors: &errors)
        let id = body.string("id", &errors, maxLength: 128)
        if let id, !Rules.isValidID(id) { errors.add("id", Rules.idRule) }
        let kind = body.enumeration("kind", ["person", "organization"], &errors, required: true)
        let name = body.string("name", &errors, required: true, maxLength: Rules.maxTitle)
        let aliases = body.strings("aliases", &errors) { text, path, errors in
            ObjectReader.check(text, at: path, maxLength: Rules.maxTitle, &errors)
        }
        let country = body.country("country", &errors)
        if country == nil, kind == "person", body.object["country"]?.isNull ?? true {
            errors.add("country", "is required for a person; only an organization may have none")
        }
        let description = body.string("description", &errors, maxLength: Rules.maxText)
        let roles = body.objects("roles", &errors) { role, errors -> ActorContent.Role? in
            let title = role.string("title", &errors, required: true, maxLength: Rules.maxTitle)
            let organization = role.string("organization_id", &errors, maxLength: 128)
            if let organization, !Rules.isValidID(organization) {
                errors.add(role.field("organization_id"), Rules.idRule)
            }
            let start = role.date("start_date", &errors)
            let end = role.date("end_date", &errors)
            if let start, let end, start > end { errors.add(role.field("end_date"), "must not be before start_date") }
            guard let title else { return nil }
            return ActorContent.Role(title: title, organizationID: organization, startDate: start, endDate: end)
        }
        body.reportUnknown(&errors)
        guard let kind, let name else { return (id, nil) }
        return (
            id,
            ActorContent(
                kind: kind, name: name, aliases: aliases, country: country, description: description, roles: roles)
        )
    }

    static func checkReferences(_ content: ActorContent, in db: any Database, errors: inout FieldErrors) throws {
        for (index, role) in content.roles.enumerated() {
            guard let organization = role.organizationID else { continue }
            let kind = try References.tag(of: organization, in: "actors", db: db)
            if kind == nil {
                errors.add("roles[\(index)].organization_id", "no actor has the id '\(organization)'")
            } else if kind != "organization" {
                errors.add("roles[\(index)].organization_id", "'\(organization)' is a person, not an organization")
            }
        }
    }

    static func load(_ id: String, in db: any Database) throws -> StoredRecord<ActorContent>? {
        try ActorRepository.load([id], in: db).first
    }

    static func loadAll(_ ids: [String], in db: any Database) throws -> [StoredRecord<ActorContent>] {
        try ActorRepository.load(ids, in: db)
    }

    static func insert(_ record: StoredRecord<ActorContent>, in db: any Database) throws {
        try ActorRepository.insert(record, in: db)
    }

    static func stagedRows(of record: StoredRecord<ActorContent>) -> TableRows? {
        var rows = TableRows()
        ActorRepository.rows(of: record, into: &rows)
        return rows
    }

    static func referenceTag(of content: ActorContent) -> String { content.kind }

    static func update(_ record: StoredRecord<ActorContent>, in db: any Database) throws {
        if record.content.kind != "organization" {
            // Roles may name only organizations: an organization that roles name stays one, or the
            // record would hold what no write may create (and an export would not import again).
            var holders = try db.query(
                """
                SELECT DISTINCT 'actors/' || actor_id FROM actor_roles WHERE organization_id = ?1 AND actor_id <> ?1
                ORDER BY 1 LIMIT 21
                """, [.text(record.id)]
            ) { try $0.string(0) }
            if record.content.roles.contains(where: { $0.organizationID == record.id }) {
                holders.insert("actors/\(record.id)", at: 0)
            }
            if !holders.isEmpty {
                throw HTTPError(
                    .conflict,
                    detail: "The actor '\(record.id)' cannot become a \(record.content.kind) while roles name it as "
                        + "their organization: \(holders.prefix(20).joined(separator: ", "))"
                        + (holders.count > 20 ? " and more." : "."))
            }
        }
        let previousCountry = try db.queryOne("SELECT country FROM actors WHERE id = ?", [.text(record.id)]) {
            $0.optionalString(0)
        }
        try ActorRepository.update(record, in: db)
        if previousCountry != record.content.country {
            try DerivedCountries.refreshForActor(record.id, in: db)
        }
    }

    static func delete(_ id: String, in db: any Database) throws {
        try db.execute("DELETE FROM actors WHERE id = ?", [.text(id)])
    }

    static func referrers(of id: String, in db: any Database) throws -> [String] {
        try db.query(
            """
            SELECT 'meetings/' || meeting_id FROM meeting_participants WHERE actor_id = ?1
            UNION SELECT 'statements/' || id FROM statements WHERE speaker_id = ?1
            UNION SELECT 'actors/' || actor_id FROM actor_roles WHERE organization_id = ?1 AND actor_id <> ?1
            ORDER BY 1 LIMIT 101
            """, [.text(id)]
        ) { try $0.string(0) }
    }

    static func forEachRepresentation(
        where condition: String, in db: any Database,
        _ body: (_ members: (inout JSONWriter) throws -> Void) throws -> Void
    ) throws {
        try ActorRepository.forEachRepresentation(where: condition, in: db, body)
    }

    /// A role names an organization: organizations go first. Comparing `kind || ''`, an
    /// expression, not the column, keeps the planner off the `kind` indexes (SQLite's unary `+`
    /// would too, but PostgreSQL has none for text): each group is a walk of the id index testing
    /// `kind`, where the index on kind would need all organizations sorted.
    static let exportGroups = ["kind || '' = 'organization'", "kind || '' <> 'organization'"]

    static func render(_ record: StoredRecord<ActorContent>, in db: any Database) throws -> [UInt8] {
        var json = JSONWriter(reservingCapacity: 384)
        record.write(to: &json)
        return json.bytes
    }
}
