import HTTPCore

/// What `GET /` says about this server: its name, version, how many records it holds, and where
/// to go next. Rendered as a small HTML page for people and as JSON for programs.
///
/// The page is the start of a full explorer of the API; it lives in this folder so the explorer
/// can grow beside it (its scripts and styles served, like ``FrontDoor/stylesheet``, from
/// `/explorer/` paths).
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

    /// The page: no script, no inline style, nothing from elsewhere; every text escaped.
    func html() -> String {
        var page = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Bilateral \(HTML.escape(BilateralVersion.current))</title>
            <link rel="stylesheet" href="\(HTML.escape(Self.stylesheetPath))">
            </head>
            <body>
            <main>
            <h1>Bilateral <span class="version">\(HTML.escape(BilateralVersion.current))</span></h1>
            <p>\(HTML.escape(Self.summary))</p>

            """
        if let counts {
            page += "<h2>The record</h2>\n<ul class=\"counts\">\n"
            for (collection, count) in counts {
                page += "<li><a href=\"/v1/\(HTML.escape(collection))\"><strong>\(count)</strong> "
                page += "\(HTML.escape(collection))</a></li>\n"
            }
            page += "</ul>\n"
        } else {
            page += "<p>Reads of this server are private: send an API key to <code>/v1/</code>.</p>\n"
        }
        page += "<h2>Start here</h2>\n<ul>\n"
        for link in Self.links {
            page += "<li><a href=\"\(HTML.escape(link.target))\">\(HTML.escape(link.label))</a> "
            page += "<code>\(HTML.escape(link.target))</code></li>\n"
        }
        page += "</ul>\n<h2>Example queries</h2>\n<ul>\n"
        for example in Self.examples {
            page += "<li><a href=\"\(HTML.escape(example.target))\">\(HTML.escape(example.label))</a><br>"
            page += "<code>\(HTML.escape(example.target))</code></li>\n"
        }
        page += """
            </ul>
            <p class="hint">The same page as JSON: <code>curl -H 'Accept: application/json' …/</code></p>
            </main>
            </body>
            </html>

            """
        return page
    }
}
