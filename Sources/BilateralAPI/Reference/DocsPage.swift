/// The API reference served at `GET /docs`: one self-contained HTML page rendered from `openapi.yaml`.
///
/// The page loads nothing from elsewhere — no CDN, web fonts, scripts or images — so it
/// works offline and under a strict `Content-Security-Policy`; its CSS is inline and
/// collapsing uses `<details>`, not JavaScript. Every text taken from the document is
/// HTML-escaped.
public enum DocsPage {
    /// Renders the reference page for an OpenAPI 3.x document.
    /// - Parameter openAPIYAML: the document, written in the YAML subset `YAMLSubsetParser` reads.
    /// - Returns: a complete HTML5 document.
    /// - Throws: `YAMLSubsetError` when the text is not in the subset or its top level is not a mapping.
    public static func render(openAPIYAML: String) throws -> String {
        let document = try YAMLSubsetParser.parse(openAPIYAML)
        guard document.entries != nil else {
            throw YAMLSubsetError(line: 1, "an OpenAPI document must be a mapping at the top level")
        }
        var renderer = DocsRenderer(document: document)
        return renderer.page()
    }
}
