/// The API reference served at `GET /docs`: one self-contained HTML page rendered from `openapi.yaml`.
///
/// The page loads nothing from elsewhere — no CDN, web fonts, scripts or images — so it
/// works offline and under a strict `Content-Security-Policy`; its CSS is inline and
/// collapsing uses `<details>`, not JavaScript. Every text taken from the document is
/// HTML-escaped.
public enum DocsPage {
    /// Renders the reference page for an OpenAPI 3.x document.
    /// - Parameter openAPIYAML: the document, read by Yams (`YAMLDocument`).
    /// - Returns: a complete HTML5 document.
    /// - Throws: `YAMLDocument.ParseError` when the text is not YAML or its top level is not a mapping.
    public static func render(openAPIYAML: String) throws -> String {
        let document = try YAMLDocument.parse(openAPIYAML)
        guard document.entries != nil else {
            throw YAMLDocument.ParseError("an OpenAPI document must be a mapping at the top level")
        }
        var renderer = DocsRenderer(document: document)
        return renderer.page()
    }
}
