extension DocsRenderer {
    /// One operation: badge and path, texts, security, parameters, request body and responses.
    mutating func render(_ operation: Operation) {
        let node = operation.node
        out += "<article class=\"operation\" id=\"" + operation.anchor + "\">\n<h3>" + methodBadge(operation.method)
        out += " <code class=\"path\">" + pathHTML(operation.path) + "</code></h3>\n"
        if let summary = node["summary"]?.text { out += "<p class=\"summary\">" + HTML.inline(summary) + "</p>\n" }
        if node["deprecated"]?.bool == true { out += "<p class=\"deprecated\">Deprecated</p>\n" }
        if let description = node["description"]?.text {
            out += "<div class=\"md\">" + HTML.markdown(description) + "</div>\n"
        }
        if let operationID = node["operationId"]?.text {
            out += "<p class=\"muted small\">Operation ID <code>" + HTML.escape(operationID) + "</code></p>\n"
        }
        security(node["security"] ?? document["security"])
        parameters(operation.parameters)
        if let body = node["requestBody"] { requestBody(resolve(body)) }
        responses(node["responses"]?.entries ?? [])
        out += "</article>\n"
    }

    /// The path with `{parameters}` highlighted.
    private func pathHTML(_ path: String) -> String {
        var out = ""
        var inParameter = false
        for character in path {
            if character == "{" {
                out += "<span class=\"param\">{"
                inParameter = true
            } else if character == "}", inParameter {
                out += "}</span>"
                inParameter = false
            } else {
                out += HTML.escape(String(character))
            }
        }
        return out + (inParameter ? "</span>" : "")
    }

    /// OpenAPI 3.1 §4.8.30: requirements are alternatives; the schemes within one all apply; `{}` makes auth optional.
    private mutating func security(_ requirements: YAMLValue?) {
        let alternatives = requirements?.items ?? []
        guard !alternatives.isEmpty else {
            out += "<p class=\"security\"><span class=\"label\">Authentication</span> none — public</p>\n"
            return
        }
        let rendered = alternatives.map { requirement -> String in
            let schemes = requirement.entries ?? []
            if schemes.isEmpty { return "none" }
            return schemes.map { scheme -> String in
                let scopes = (scheme.value.items ?? []).compactMap(\.text)
                var text =
                    "<a href=\"#" + HTML.anchor("security", scheme.key) + "\"><code>" + HTML.escape(scheme.key)
                    + "</code></a>"
                if !scopes.isEmpty { text += " (" + scopes.map(HTML.escape).joined(separator: ", ") + ")" }
                return text
            }.joined(separator: " and ")
        }
        out +=
            "<p class=\"security\"><span class=\"label\">Authentication</span> " + rendered.joined(separator: " or ")
            + "</p>\n"
    }

    private mutating func parameters(_ parameters: [YAMLValue]) {
        guard !parameters.isEmpty else { return }
        out += "<h4>Parameters</h4>\n<table class=\"parameters\">\n"
        out += "<thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n"
        for parameter in parameters.map(resolve) {
            let location = parameter["in"]?.text ?? ""
            // OpenAPI 3.1 §4.8.12.1: path parameters are always required.
            let required = location == "path" || parameter["required"]?.bool == true
            out += "<tr><td><code class=\"name\">" + HTML.escape(parameter["name"]?.text ?? "?") + "</code>"
            out += required ? " <span class=\"required\">required</span>" : ""
            out += "</td><td>" + HTML.escape(location) + "</td><td>"
            let schema = parameter["schema"]
            out += typeLabel(schema)
            let notes = schema.map(constraints) ?? []
            if !notes.isEmpty {
                out += "<ul class=\"constraints\">" + notes.map { "<li>" + $0 + "</li>" }.joined() + "</ul>"
            }
            out += "</td><td>"
            if parameter["deprecated"]?.bool == true { out += "<p class=\"deprecated\">Deprecated</p>" }
            out += HTML.markdown(parameter["description"]?.text ?? "")
            var examples: [String] = []
            if let example = parameter["example"] { examples.append(inlineValue(example)) }
            for entry in parameter["examples"]?.entries ?? [] {
                if let value = resolve(entry.value)["value"] { examples.append(inlineValue(value)) }
            }
            if !examples.isEmpty { out += "<p class=\"muted\">Example: " + examples.joined(separator: ", ") + "</p>" }
            out += "</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
    }

    private mutating func requestBody(_ body: YAMLValue) {
        out += "<h4>Request body"
        out +=
            body["required"]?.bool == true
            ? " <span class=\"required\">required</span>" : " <span class=\"muted\">optional</span>"
        out += "</h4>\n"
        if let description = body["description"]?.text {
            out += "<div class=\"md\">" + HTML.markdown(description) + "</div>\n"
        }
        content(body["content"]?.entries ?? [])
    }

    private mutating func responses(_ responses: [YAMLEntry]) {
        guard !responses.isEmpty else { return }
        out += "<h4>Responses</h4>\n"
        for entry in responses {
            let response = resolve(entry.value)
            let statusClass = entry.key.first.map { "s\($0)" } ?? "s"
            let paragraphs = (response["description"]?.text ?? "").split(separator: "\n\n", maxSplits: 1)
            let headline = paragraphs.first.map { $0.split(separator: "\n").joined(separator: " ") } ?? ""
            out += "<details class=\"response\"" + (entry.key.hasPrefix("2") ? " open" : "") + ">\n<summary>"
            out += "<span class=\"status " + HTML.escape(statusClass) + "\">" + HTML.escape(entry.key) + "</span> "
            out += HTML.inline(headline) + "</summary>\n<div class=\"response-body\">\n"
            if paragraphs.count > 1 { out += "<div class=\"md\">" + HTML.markdown(String(paragraphs[1])) + "</div>\n" }
            headers(response["headers"]?.entries ?? [])
            let media = response["content"]?.entries ?? []
            if media.isEmpty { out += "<p class=\"muted\">No body.</p>\n" }
            content(media)
            out += "</div>\n</details>\n"
        }
    }

    private mutating func headers(_ headers: [YAMLEntry]) {
        guard !headers.isEmpty else { return }
        out += "<table class=\"headers\">\n"
        out += "<thead><tr><th>Header</th><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n"
        for entry in headers {
            let header = resolve(entry.value)
            out +=
                "<tr><td><code class=\"name\">" + HTML.escape(entry.key) + "</code></td><td>"
                + typeLabel(header["schema"])
            out += "</td><td>" + HTML.markdown(header["description"]?.text ?? "")
            if let example = header["example"] { out += "<p class=\"muted\">Example: " + inlineValue(example) + "</p>" }
            out += "</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
    }

    /// Each media type of a request or response body: its schema as a field list, then its examples.
    private mutating func content(_ media: [YAMLEntry]) {
        for entry in media {
            out += "<div class=\"media\">\n<p class=\"media-type\"><code>" + HTML.escape(entry.key) + "</code></p>\n"
            if let schema = entry.value["schema"] { out += schemaBlock(schema) }
            var examples: [(title: String?, description: String?, value: YAMLValue)] = []
            if let example = entry.value["example"] { examples.append((nil, nil, example)) }
            for named in entry.value["examples"]?.entries ?? [] {
                let example = resolve(named.value)
                guard let value = example["value"] else { continue }
                examples.append((example["summary"]?.text ?? named.key, example["description"]?.text, value))
            }
            for example in examples {
                out += "<figure class=\"example\"><figcaption>Example"
                if let title = example.title { out += ": " + HTML.inline(title) }
                out += "</figcaption>"
                if let description = example.description {
                    out += "<div class=\"md\">" + HTML.markdown(description) + "</div>"
                }
                let text =
                    entry.key.contains("json") ? example.value.json() : (example.value.text ?? example.value.json())
                out += "<pre><code>" + HTML.escape(text) + "</code></pre></figure>\n"
            }
            out += "</div>\n"
        }
    }

    /// A short value for a table cell: a scalar as code, anything else as compact JSON.
    func inlineValue(_ value: YAMLValue) -> String {
        "<code>" + HTML.escape(value.text ?? value.json()) + "</code>"
    }
}
