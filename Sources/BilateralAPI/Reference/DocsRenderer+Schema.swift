extension DocsRenderer {
    /// How deep nested schemas are expanded inline before only their type is named.
    static let maximumSchemaDepth = 6

    /// A schema where it is used (a body, a response): its type, notes and field list.
    func schemaBlock(_ schema: YAMLValue) -> String {
        var out = "<div class=\"schema\"><p class=\"schema-type\">" + typeLabel(schema)
        let notes = constraints(schema)
        if !notes.isEmpty { out += " <span class=\"muted\">· " + notes.joined(separator: " · ") + "</span>" }
        out += "</p>"
        if schema["$ref"] == nil, let description = schema["description"]?.text {
            out += "<div class=\"md\">" + HTML.markdown(description) + "</div>"
        }
        return out + fieldTree(schema, seen: [], depth: 0) + "</div>\n"
    }

    /// The `components.schemas` section, each schema under an anchor that type links point to.
    mutating func componentSchemas() {
        let schemas = document["components"]?["schemas"]?.entries ?? []
        guard !schemas.isEmpty else { return }
        out += "<section class=\"schemas\" id=\"schemas\">\n<h2>Schemas</h2>\n"
        for entry in schemas {
            out += "<article class=\"schema-definition\" id=\"" + HTML.anchor("schema", entry.key) + "\">\n"
            out +=
                "<h3>" + HTML.escape(entry.key) + " <span class=\"schema-type\">" + typeLabel(entry.value)
                + "</span></h3>\n"
            if let description = entry.value["description"]?.text {
                out += "<div class=\"md\">" + HTML.markdown(description) + "</div>\n"
            }
            let notes = constraints(entry.value)
            if !notes.isEmpty { out += "<p class=\"muted\">" + notes.joined(separator: " · ") + "</p>\n" }
            out += fieldTree(entry.value, seen: [entry.key], depth: 0) + "\n</article>\n"
        }
        out += "</section>\n"
    }

    /// Inline HTML naming a schema's type: `string`, `string | null`, `array of Country` (linked).
    func typeLabel(_ schema: YAMLValue?) -> String {
        guard let schema else { return "<span class=\"type\">any</span>" }
        if let reference = schema["$ref"]?.text {
            guard let name = schemaName(reference) else {
                return "<span class=\"type\">" + HTML.escape(reference) + "</span>"
            }
            return "<a class=\"type ref\" href=\"#" + HTML.anchor("schema", name) + "\">" + HTML.escape(name) + "</a>"
        }
        for (keyword, separator) in [("oneOf", " | "), ("anyOf", " | "), ("allOf", " &amp; ")] {
            if let variants = schema[keyword]?.items, !variants.isEmpty {
                return variants.map(typeLabel).joined(separator: separator)
            }
        }
        var types: [String]
        if let single = schema["type"]?.text {
            types = [single]
        } else if let many = schema["type"]?.items {
            types = many.map { $0.text ?? "null" }
        } else if schema["properties"] != nil {
            types = ["object"]
        } else if schema["items"] != nil {
            types = ["array"]
        } else {
            types = schema["enum"] != nil || schema["const"] != nil ? ["value"] : ["any"]
        }
        if schema["nullable"]?.bool == true, !types.contains("null") { types.append("null") }
        let labels = types.map { type -> String in
            switch type {
            case "array": return "<span class=\"type\">array of</span> " + typeLabel(schema["items"])
            case "null": return "<span class=\"type null\">null</span>"
            default:
                let format = schema["format"]?.text.map { " (" + HTML.escape($0) + ")" } ?? ""
                return "<span class=\"type\">" + HTML.escape(type) + format + "</span>"
            }
        }
        return labels.joined(separator: " | ")
    }

    /// Human notes on a schema's constraints: allowed values, default, ranges, pattern, examples.
    func constraints(_ schema: YAMLValue) -> [String] {
        var notes: [String] = []
        if let values = schema["enum"]?.items {
            notes.append("one of " + values.map(inlineValue).joined(separator: ", "))
        }
        if let value = schema["const"] { notes.append("always " + inlineValue(value)) }
        if let value = schema["default"] { notes.append("default " + inlineValue(value)) }
        let minimum = schema["minimum"]?.text
        let maximum = schema["maximum"]?.text
        if let minimum, let maximum {
            notes.append("from " + HTML.escape(minimum) + " to " + HTML.escape(maximum))
        } else if let minimum {
            notes.append("≥ " + HTML.escape(minimum))
        } else if let maximum {
            notes.append("≤ " + HTML.escape(maximum))
        }
        if let bound = schema["exclusiveMinimum"]?.text { notes.append("&gt; " + HTML.escape(bound)) }
        if let bound = schema["exclusiveMaximum"]?.text { notes.append("&lt; " + HTML.escape(bound)) }
        for (keyword, lead, noun) in [
            ("minLength", "at least", "character"), ("maxLength", "at most", "character"),
            ("minItems", "at least", "item"), ("maxItems", "at most", "item"),
        ] {
            guard let count = schema[keyword]?.text else { continue }
            notes.append(lead + " " + HTML.escape(count) + " " + noun + (count == "1" ? "" : "s"))
        }
        if schema["uniqueItems"]?.bool == true { notes.append("unique items") }
        if let pattern = schema["pattern"]?.text { notes.append("pattern " + inlineValue(.string(pattern))) }
        if schema["readOnly"]?.bool == true { notes.append("read-only") }
        if schema["writeOnly"]?.bool == true { notes.append("write-only") }
        if schema["deprecated"]?.bool == true { notes.append("deprecated") }
        if schema["additionalProperties"]?.bool == false { notes.append("no other properties") }
        if let example = schema["example"] { notes.append("example " + inlineValue(example)) }
        if let examples = schema["examples"]?.items, !examples.isEmpty {
            notes.append("example " + examples.map(inlineValue).joined(separator: ", "))
        }
        return notes
    }

    /// The fields of an object schema (following `$ref`s, items and combinators) as nested lists.
    /// `seen` holds the component schemas being expanded, so a recursive schema names itself instead of looping.
    func fieldTree(_ schema: YAMLValue, seen: [String], depth: Int) -> String {
        if let reference = schema["$ref"]?.text {
            let name = schemaName(reference) ?? reference
            if seen.contains(name) {
                return "<p class=\"muted recursive\">Recursive: see " + typeLabel(schema) + " above.</p>"
            }
            guard depth < Self.maximumSchemaDepth, let target = lookup(reference) else { return "" }
            return fieldTree(target, seen: seen + [name], depth: depth + 1)
        }
        var out = ""
        for keyword in ["oneOf", "anyOf", "allOf"] {
            guard let variants = schema[keyword]?.items, !variants.isEmpty else { continue }
            let lead = keyword == "allOf" ? "All of" : keyword == "oneOf" ? "Exactly one of" : "Any of"
            out += "<p class=\"muted\">" + lead + ":</p><ol class=\"variants\">"
            for variant in variants {
                out += "<li>" + typeLabel(variant)
                let notes = constraints(variant)
                if !notes.isEmpty { out += " <span class=\"muted\">· " + notes.joined(separator: " · ") + "</span>" }
                out += fieldTree(variant, seen: seen, depth: depth + 1) + "</li>"
            }
            out += "</ol>"
        }
        if let properties = schema["properties"]?.entries, !properties.isEmpty {
            let required = Set((schema["required"]?.items ?? []).compactMap(\.text))
            out += "<ul class=\"fields\">"
            for property in properties {
                out += "<li><code class=\"name\">" + HTML.escape(property.key) + "</code> " + typeLabel(property.value)
                if required.contains(property.key) { out += " <span class=\"required\">required</span>" }
                let notes = constraints(property.value)
                if !notes.isEmpty { out += " <span class=\"muted\">· " + notes.joined(separator: " · ") + "</span>" }
                if let description = property.value["description"]?.text {
                    out += "<div class=\"md\">" + HTML.markdown(description) + "</div>"
                }
                if depth < Self.maximumSchemaDepth { out += fieldTree(property.value, seen: seen, depth: depth + 1) }
                out += "</li>"
            }
            out += "</ul>"
        }
        if let extra = schema["additionalProperties"], extra.entries != nil {
            out +=
                "<p class=\"muted\">Other properties: " + typeLabel(extra) + "</p>"
                + fieldTree(extra, seen: seen, depth: depth + 1)
        }
        if let items = schema["items"], depth < Self.maximumSchemaDepth {
            out += fieldTree(items, seen: seen, depth: depth + 1)
        }
        return out
    }
}
