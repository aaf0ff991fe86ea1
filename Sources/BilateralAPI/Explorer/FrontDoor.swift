import HTTPCore

/// What `GET /` says about this server to a program: its name, version, how many records it
/// holds, and where to go next. People get the explorer's page at the same URL
/// (``FrontDoorRoutes``); the explorer reads this JSON for its own counts.
struct FrontDoor {
    /// Records per collection, in the order shown; nil when reads are private.
    var counts: [(collection: String, count: Int)]?

    /// The example queries of the README, as links a browser can follow.
    static let examples: [(label: String, target: String)] = [
        ("Cambodia", "/v1/countries/kh"),
        ("Meetings of the US and Cambodia since June 2024", "/v1/meetings?country=US&country=KH&from=2024-06-01"),
        ("What Hun Sen said", "/v1/statements?speaker=hun-sen"),
        ("Demining cooperation under discussion", "/v1/initiatives?status=under_discussion&area=demining"),
        ("The US and Cambodia at a glance", "/v1/relations/us/kh"),
        ("Their story, one list by date", "/v1/relations/KH/US/timeline?order=asc"),
        ("Search for \u{201C}mutual trust\u{201D}", "/v1/search?q=%22mutual%20trust%22"),
    ]

    /// The places to go from here.
    static let links: [(rel: String, label: String, target: String)] = [
        ("docs", "API reference", "/docs"),
        ("openapi", "OpenAPI document", "/openapi.yaml"),
        ("relations", "Country pairs, most active first", "/v1/relations"),
    ]

    static let summary =
        "Bilateral keeps the record of relations between countries: who met whom, who said what, "
        + "and which cooperation is proposed, agreed, running or stalled — every fact tied to its source."

    /// `{"name", "version", "description", "counts": {...} | null, "links": {...}, "examples": [...]}`.
    func json() -> [UInt8] {
        var out = JSONWriter(reservingCapacity: 1024)
        out.beginObject()
        out.key("name"); out.string("bilateral")
        out.key("version"); out.string(BilateralVersion.current)
        out.key("description"); out.string(Self.summary)
        out.key("counts")
        if let counts {
            out.beginObject()
            for (collection, count) in counts {
                out.key(escaping: collection)
                out.int(count)
            }
            out.endObject()
        } else {
            out.null()
        }
        out.key("links")
        out.beginObject()
        for link in Self.links {
            out.key(escaping: link.rel)
            out.string(link.target)
        }
        out.endObject()
        out.key("examples")
        out.beginArray()
        for example in Self.examples {
            out.beginObject()
            out.key("title"); out.string(example.label)
            out.key("href"); out.string(example.target)
            out.endObject()
        }
        out.endArray()
        out.endObject()
        return out.bytes
    }
}
