import Testing

@testable import BilateralAPI

@Suite("Docs page")
struct DocsPageTests {
    static func realPage() throws -> (document: YAMLValue, html: String) {
        let text = try OpenAPIDocumentTests.read("openapi.yaml")
        return (try YAMLSubsetParser.parse(text), try DocsPage.render(openAPIYAML: text))
    }

    @Test func showsEveryPathOperationAndSchema() throws {
        let (document, html) = try Self.realPage()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>Bilateral 0.1.0 — API reference</title>"))
        var operations = 0
        var methods: [String: Int] = [:]
        for path in document["paths"]?.entries ?? [] {
            for operation in path.value.entries ?? [] {
                operations += 1
                methods[operation.key, default: 0] += 1
                let id = try #require(operation.value["operationId"]?.text)
                #expect(html.contains("id=\"op-\(id)\""), "operation \(id)")
                #expect(html.contains("href=\"#op-\(id)\""), "navigation link to \(id)")
            }
            // In the heading, `{parameters}` are wrapped in a span; in the navigation the path is plain.
            #expect(html.contains("<span class=\"path\">\(HTML.escape(path.key))</span>"), "path \(path.key)")
        }
        #expect(operations >= 7)
        #expect(html.components("<article class=\"operation\"") == operations)
        for (method, count) in methods {
            // Each operation's badge appears twice: in the navigation and in its heading.
            let badge = "<span class=\"method m-\(method)\">\(method.uppercased())</span>"
            #expect(html.components(badge) == 2 * count, "\(method) badges")
        }
        for schema in document[path: "components", "schemas"]?.entries ?? [] {
            #expect(html.contains("id=\"schema-\(schema.key)\""), "schema \(schema.key)")
        }
    }

    @Test func followsReferencesIntoSchemasParametersAndResponses() throws {
        let (_, html) = try Self.realPage()
        let getCountry = try #require(html.section(from: "id=\"op-getCountry\"", to: "</article>"))
        // The 200 response's Country schema is expanded in place, with its nullable fields.
        #expect(getCountry.contains("<a class=\"type ref\" href=\"#schema-Country\">Country</a>"))
        #expect(getCountry.contains("<code class=\"name\">official_name</code>"))
        #expect(getCountry.contains("<span class=\"type\">string</span> | <span class=\"type null\">null</span>"))
        // The path parameter comes from components.parameters; responses from components.responses.
        #expect(getCountry.contains("<code class=\"name\">code</code> <span class=\"required\">required</span>"))
        #expect(getCountry.contains("<span class=\"status s4\">404</span> No such resource."))
        #expect(getCountry.contains("&quot;official_name&quot;: &quot;United States of America&quot;"))
        #expect(getCountry.contains("&quot;numeric&quot;: &quot;116&quot;"))
        #expect(getCountry.contains("none — public"))

        let listCountries = try #require(html.section(from: "id=\"op-listCountries\"", to: "</article>"))
        #expect(listCountries.contains("<code class=\"name\">limit</code>"))
        #expect(listCountries.contains("from 1 to 500"))
        #expect(listCountries.contains("default <code>50</code>"))
        #expect(listCountries.contains("<code class=\"name\">Link</code>"))
        #expect(html.contains("id=\"security-bearerAuth\""))
    }

    /// On a phone the navigation used to fill the first screens; it now collapses behind a
    /// "Contents" toggle (a checkbox and its label: the page runs no script), and the whole index
    /// sits inside the part that collapses.
    @Test func navigationCollapsesOnNarrowScreens() throws {
        let (_, html) = try Self.realPage()
        let nav = try #require(
            html.firstRange(of: "<nav>").flatMap { start in
                html.firstRange(of: "</nav>").map { html[start.lowerBound..<$0.upperBound] }
            })
        let toggle = try #require(nav.firstRange(of: #"<input type="checkbox" id="nav-toggle""#))
        let index = try #require(nav.firstRange(of: #"<div id="nav-index" class="nav-index">"#))
        #expect(toggle.lowerBound < index.lowerBound)
        #expect(nav.contains(#"<label for="nav-toggle" class="nav-toggle-label">Contents</label>"#))
        let firstLink = try #require(nav.firstRange(of: "<h3>"))
        #expect(index.lowerBound < firstLink.lowerBound, "every section of the index collapses")
        let media = try #require(DocsRenderer.stylesheet.firstRange(of: "@media (max-width: 52rem)"))
        let narrow = DocsRenderer.stylesheet[media.lowerBound...]
        #expect(narrow.contains(".nav-index { display: none;"))
        #expect(narrow.contains(".nav-toggle:checked ~ .nav-index { display: block; }"))
        #expect(!html.contains("<script"))
    }

    @Test func loadsNothingFromElsewhere() throws {
        let (_, html) = try Self.realPage()
        #expect(!html.contains("src="))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("@import"))
        #expect(!html.contains("url("))
        for link in html.attributeValues(named: "href") {
            #expect(link.hasPrefix("#"), "href=\"\(link)\" leaves the page")
        }
        // The server URL is shown as text only.
        #expect(html.contains("<code>http://localhost:8080</code>"))
    }

    @Test func escapesEveryTextFromTheDocument() throws {
        let hostile = "<script>alert(1)</script>"
        let yaml = """
            openapi: 3.1.0
            info:
              title: '\(hostile)'
              version: '1" onload="x'
              description: |
                Para with \(hostile) and `<b>code</b>` and **<i>bold</i>**.
            tags:
              - name: '<tag>'
            paths:
              '/things/{id}<img>':
                get:
                  tags: ['<tag>']
                  summary: '\(hostile)'
                  operationId: 'evil"id'
                  parameters:
                    - name: '<name>'
                      in: query
                      description: '\(hostile)'
                      schema:
                        type: string
                        enum: ['<e>']
                        pattern: '^<p>$'
                  responses:
                    '200':
                      description: '\(hostile)'
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/schemas/Evil'
                          example:
                            '<k>': '\(hostile)'
            components:
              schemas:
                Evil:
                  type: object
                  description: '\(hostile)'
                  properties:
                    '<field>':
                      type: string
                      description: '\(hostile)'
            """
        let html = try DocsPage.render(openAPIYAML: yaml)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img>"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("<i>"))
        #expect(!html.contains("<name>"))
        #expect(!html.contains("<field>"))
        #expect(!html.contains("<tag>"))
        #expect(!html.contains("onload=\""))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<code>&lt;b&gt;code&lt;/b&gt;</code>"))
        #expect(html.contains("<strong>&lt;i&gt;bold&lt;/i&gt;</strong>"))
        #expect(html.contains("&quot;&lt;k&gt;&quot;"))
        // Anchors keep to a safe alphabet whatever the operationId holds.
        #expect(html.contains("id=\"op-evil-id\""))
    }

    @Test func recursiveSchemasStopAtTheCycle() throws {
        let yaml = """
            openapi: 3.1.0
            info:
              title: Tree
              version: '1'
            paths:
              /nodes:
                get:
                  responses:
                    '200':
                      description: A tree.
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/schemas/Node'
            components:
              schemas:
                Node:
                  type: object
                  properties:
                    name:
                      type: string
                    children:
                      type: array
                      items:
                        $ref: '#/components/schemas/Node'
                    parent:
                      $ref: '#/components/schemas/Loop'
                Loop:
                  $ref: '#/components/schemas/Loop'
            """
        let html = try DocsPage.render(openAPIYAML: yaml)
        #expect(html.contains("Recursive: see <a class=\"type ref\" href=\"#schema-Node\">Node</a>"))
        #expect(
            html.contains("<span class=\"type\">array of</span> <a class=\"type ref\" href=\"#schema-Node\">Node</a>"))
        #expect(html.contains("id=\"op-get-nodes\""))
    }

    @Test func operationsWithoutIdsGetDistinctAnchors() throws {
        let yaml = """
            openapi: 3.1.0
            info:
              title: Anchors
              version: '1'
            paths:
              /a-b:
                get:
                  responses: {}
              /a/b:
                get:
                  responses: {}
            """
        let html = try DocsPage.render(openAPIYAML: yaml)
        #expect(html.contains("id=\"op-get-a-b\""))
        #expect(html.contains("id=\"op-get-a-b-2\""))
    }

    @Test func rejectsWhatIsNotADocument() throws {
        #expect(throws: YAMLSubsetError.self) { try DocsPage.render(openAPIYAML: "- a\n- b\n") }
        #expect(throws: YAMLSubsetError.self) { try DocsPage.render(openAPIYAML: "openapi: 3.1.0\nx: &a 1\n") }
    }
}

extension String {
    /// How many times `needle` occurs.
    fileprivate func components(_ needle: String) -> Int {
        ranges(of: needle).count
    }

    /// The text from the first `start` to the next `end` after it.
    fileprivate func section(from start: String, to end: String) -> Substring? {
        guard let lower = range(of: start)?.lowerBound, let upper = self[lower...].range(of: end)?.upperBound else {
            return nil
        }
        return self[lower..<upper]
    }

    /// Every value of `name="..."` attributes.
    fileprivate func attributeValues(named name: String) -> [Substring] {
        ranges(of: name + "=\"").map { range in
            self[range.upperBound...].prefix { $0 != "\"" }
        }
    }
}
