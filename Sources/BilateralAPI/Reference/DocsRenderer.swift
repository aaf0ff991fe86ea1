/// Writes the HTML of `DocsPage` from a parsed OpenAPI document.
///
/// Reads the document defensively: a missing or oddly typed field is skipped,
/// never a crash, since the page documents whatever the file says.
struct DocsRenderer {
    let document: YAMLValue
    var out = ""

    static let methods = ["get", "put", "post", "patch", "delete", "head", "options", "trace"]

    init(document: YAMLValue) {
        self.document = document
    }

    /// One operation of `paths`, with the path-level parameters merged in.
    struct Operation {
        let method: String
        let path: String
        let node: YAMLValue
        let parameters: [YAMLValue]
        let anchor: String
    }

    mutating func page() -> String {
        let info = document["info"]
        let title = info?["title"]?.text ?? "API reference"
        let version = info?["version"]?.text
        let operations = collectOperations()
        let groups = groupByTag(operations)

        out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>" + HTML.escape(title) + (version.map { " " + HTML.escape($0) } ?? "")
        out += " — API reference</title>\n<style>\n" + Self.stylesheet + "</style>\n</head>\n<body>\n"
        navigation(title: title, version: version, groups: groups)
        out += "<main>\n"
        header(title: title, version: version)
        for group in groups {
            out += "<section class=\"tag\" id=\"" + HTML.anchor("tag", group.name) + "\">\n"
            out += "<h2>" + HTML.escape(group.name) + "</h2>\n"
            if let description = group.description {
                out += "<div class=\"md\">" + HTML.markdown(description) + "</div>\n"
            }
            for operation in group.operations { render(operation) }
            out += "</section>\n"
        }
        componentSchemas()
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    // MARK: Collecting

    private func collectOperations() -> [Operation] {
        var operations: [Operation] = []
        var anchors: Set<String> = []
        for pathEntry in document["paths"]?.entries ?? [] {
            let pathParameters = pathEntry.value["parameters"]?.items ?? []
            for method in Self.methods {
                guard let node = pathEntry.value[method], node.entries != nil else { continue }
                let own = node["parameters"]?.items ?? []
                let ownKeys = Set(own.compactMap(parameterKey))
                let inherited = pathParameters.filter { parameterKey($0).map { !ownKeys.contains($0) } ?? true }
                // Paths that differ only in punctuation would share an anchor; number the later ones.
                let base = HTML.anchor("op", node["operationId"]?.text ?? method + " " + pathEntry.key)
                var anchor = base
                var suffix = 2
                while !anchors.insert(anchor).inserted {
                    anchor = base + "-\(suffix)"
                    suffix += 1
                }
                operations.append(
                    Operation(
                        method: method, path: pathEntry.key, node: node, parameters: inherited + own,
                        anchor: anchor))
            }
        }
        return operations
    }

    /// OpenAPI 3.1 §4.8.12: a parameter is identified by its name and location.
    private func parameterKey(_ parameter: YAMLValue) -> String? {
        let resolved = resolve(parameter)
        guard let name = resolved["name"]?.text, let location = resolved["in"]?.text else { return nil }
        return location + ":" + name
    }

    struct TagGroup {
        let name: String
        let description: String?
        var operations: [Operation]
    }

    /// Groups operations by their first tag: declared tags first, in declaration order.
    private func groupByTag(_ operations: [Operation]) -> [TagGroup] {
        var groups: [TagGroup] = []
        for tag in document["tags"]?.items ?? [] {
            guard let name = tag["name"]?.text else { continue }
            groups.append(TagGroup(name: name, description: tag["description"]?.text, operations: []))
        }
        for operation in operations {
            let name = operation.node["tags"]?.items?.first?.text ?? "Other"
            if let index = groups.firstIndex(where: { $0.name == name }) {
                groups[index].operations.append(operation)
            } else {
                groups.append(TagGroup(name: name, description: nil, operations: [operation]))
            }
        }
        return groups.filter { !$0.operations.isEmpty }
    }

    // MARK: Page frame

    private mutating func navigation(title: String, version: String?, groups: [TagGroup]) {
        out += "<nav>\n<a class=\"brand\" href=\"#top\">" + HTML.escape(title)
        if let version { out += " <span class=\"version\">" + HTML.escape(version) + "</span>" }
        out += "</a>\n"
        // On a narrow screen the index collapses behind a "Contents" toggle: a checkbox and its
        // label, so it works without script (the page runs none).
        out += "<input type=\"checkbox\" id=\"nav-toggle\" class=\"nav-toggle\" aria-controls=\"nav-index\">"
        out += "<label for=\"nav-toggle\" class=\"nav-toggle-label\">Contents</label>\n"
        out += "<div id=\"nav-index\" class=\"nav-index\">\n"
        for group in groups {
            out +=
                "<h3><a href=\"#" + HTML.anchor("tag", group.name) + "\">" + HTML.escape(group.name)
                + "</a></h3>\n<ul>\n"
            for operation in group.operations {
                out += "<li><a href=\"#" + operation.anchor + "\">" + methodBadge(operation.method)
                out += " <span class=\"path\">" + HTML.escape(operation.path) + "</span></a></li>\n"
            }
            out += "</ul>\n"
        }
        let schemas = document["components"]?["schemas"]?.entries ?? []
        if !schemas.isEmpty {
            out += "<h3><a href=\"#schemas\">Schemas</a></h3>\n<ul>\n"
            for schema in schemas {
                out +=
                    "<li><a href=\"#" + HTML.anchor("schema", schema.key) + "\">" + HTML.escape(schema.key)
                    + "</a></li>\n"
            }
            out += "</ul>\n"
        }
        out += "</div>\n</nav>\n"
    }

    private mutating func header(title: String, version: String?) {
        let info = document["info"]
        out += "<header id=\"top\">\n<h1>" + HTML.escape(title) + "</h1>\n<p class=\"meta\">"
        var meta: [String] = []
        if let version { meta.append("Version " + HTML.escape(version)) }
        if let openapi = document["openapi"]?.text { meta.append("OpenAPI " + HTML.escape(openapi)) }
        out += meta.joined(separator: " · ") + "</p>\n"
        if let summary = info?["summary"]?.text { out += "<p class=\"lead\">" + HTML.inline(summary) + "</p>\n" }
        if let description = info?["description"]?.text {
            out += "<div class=\"md\">" + HTML.markdown(description) + "</div>\n"
        }

        let servers = document["servers"]?.items ?? []
        if !servers.isEmpty {
            // Server URLs are shown as text, never as links: the page must not point the browser anywhere.
            out += "<h2>Servers</h2>\n<ul class=\"servers\">\n"
            for server in servers {
                out += "<li><code>" + HTML.escape(server["url"]?.text ?? "") + "</code>"
                if let description = server["description"]?.text { out += " — " + HTML.inline(description) }
                out += "</li>\n"
            }
            out += "</ul>\n"
        }

        let schemes = document["components"]?["securitySchemes"]?.entries ?? []
        if !schemes.isEmpty {
            out += "<h2>Authentication</h2>\n<dl class=\"schemes\">\n"
            for scheme in schemes {
                let value = resolve(scheme.value)
                var kind = value["type"]?.text ?? "unknown"
                if let name = value["scheme"]?.text { kind += " " + name }
                if let format = value["bearerFormat"]?.text { kind += " (" + format + ")" }
                if let name = value["name"]?.text, let location = value["in"]?.text {
                    kind += " " + location + " " + name
                }
                out +=
                    "<dt id=\"" + HTML.anchor("security", scheme.key) + "\"><code>" + HTML.escape(scheme.key)
                    + "</code> "
                out += "<span class=\"type\">" + HTML.escape(kind) + "</span></dt>\n<dd>"
                out += HTML.markdown(value["description"]?.text ?? "") + "</dd>\n"
            }
            out += "</dl>\n"
        }
        out += "</header>\n"
    }

    func methodBadge(_ method: String) -> String {
        let style = Self.methods.contains(method) ? method : "other"
        return "<span class=\"method m-" + style + "\">" + HTML.escape(method.uppercased()) + "</span>"
    }

    // MARK: References

    /// Follows `$ref`s (local JSON pointers only) until a node without one; gives up after 32 hops,
    /// so a reference cycle cannot hang the renderer.
    func resolve(_ node: YAMLValue) -> YAMLValue {
        var current = node
        for _ in 0..<32 {
            guard let reference = current["$ref"]?.text, let target = lookup(reference) else { return current }
            current = target
        }
        return current
    }

    /// The node a local reference (`#/components/schemas/Country`) points at (RFC 6901 escapes honoured).
    func lookup(_ reference: String) -> YAMLValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: YAMLValue? = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = String(token).replacing("~1", with: "/").replacing("~0", with: "~")
            if let items = node?.items {
                node = Int(key).flatMap { $0 >= 0 && $0 < items.count ? items[$0] : nil }
            } else {
                node = node?[key]
            }
        }
        return node
    }

    /// The component name of a `#/components/schemas/Name` reference.
    func schemaName(_ reference: String) -> String? {
        let prefix = "#/components/schemas/"
        guard reference.hasPrefix(prefix) else { return nil }
        return String(reference.dropFirst(prefix.count)).replacing("~1", with: "/").replacing("~0", with: "~")
    }
}
