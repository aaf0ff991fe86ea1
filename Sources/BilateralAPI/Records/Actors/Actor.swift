import HTTPCore

/// What a client writes of an actor (everything but id and bookkeeping).
struct ActorContent: Equatable, Sendable {
    struct Role: Equatable, Sendable {
        var title: String
        var organizationID: String?
        var startDate: String?
        var endDate: String?
    }

    var kind: String
    var name: String
    var aliases: [String]
    var country: String?
    var description: String?
    var roles: [Role]
}

extension StoredRecord where Content == ActorContent {
    /// The representation, fields in the order of docs/record-design.md.
    func write(to json: inout JSONWriter) {
        json.beginObject()
        writeMembers(to: &json)
        json.endObject()
    }

    /// The members of the representation, without the braces (an export line puts `type` first).
    func writeMembers(to json: inout JSONWriter) {
        json.key("id"); json.string(id)
        json.key("kind"); json.string(content.kind)
        json.key("name"); json.string(content.name)
        json.key("aliases"); json.strings(content.aliases)
        json.key("country"); json.optionalString(content.country)
        json.key("description"); json.optionalString(content.description)
        json.key("roles"); json.beginArray()
        for role in content.roles {
            json.beginObject()
            json.key("title"); json.string(role.title)
            json.key("organization_id"); json.optionalString(role.organizationID)
            json.key("start_date"); json.optionalString(role.startDate)
            json.key("end_date"); json.optionalString(role.endDate)
            json.endObject()
        }
        json.endArray()
        json.key("created_at"); json.string(createdAt)
        json.key("updated_at"); json.string(updatedAt)
        json.key("version"); json.int(version)
    }
}
