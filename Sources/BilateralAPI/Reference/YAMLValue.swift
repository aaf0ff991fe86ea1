/// A node of a document read by `YAMLSubsetParser`.
///
/// Scalars keep their text: `3`, `true` and `get` stay strings, because the
/// OpenAPI renderer only displays them. Whether a scalar was quoted is kept, so
/// that an example written `numeric: '116'` is shown as the JSON string `"116"`
/// while `status: 400` is shown as the number `400`.
package indirect enum YAMLValue: Sendable, Equatable {
    /// An unquoted scalar, as written (without surrounding whitespace).
    case plain(String)
    /// A single-quoted, double-quoted or block (`|`, `>`) scalar, with escapes and folding applied.
    case string(String)
    /// A block mapping or `{}`, entries in document order.
    case mapping([YAMLEntry])
    /// A block sequence or a flow sequence of scalars.
    case sequence([YAMLValue])
    /// An empty value (`key:` with nothing after it) or a plain `~`, `null`, `Null`, `NULL`.
    case null
}

/// One `key: value` of a mapping; keys are always strings in the subset.
package struct YAMLEntry: Sendable, Equatable {
    package var key: String
    package var value: YAMLValue

    package init(_ key: String, _ value: YAMLValue) {
        self.key = key
        self.value = value
    }
}

extension YAMLValue {
    /// The text of a scalar, quoted or not; `nil` for collections and null.
    package var text: String? {
        switch self {
        case .plain(let text), .string(let text): text
        case .mapping, .sequence, .null: nil
        }
    }

    /// The entries of a mapping; `nil` for anything else.
    package var entries: [YAMLEntry]? {
        if case .mapping(let entries) = self { entries } else { nil }
    }

    /// The items of a sequence; `nil` for anything else.
    package var items: [YAMLValue]? {
        if case .sequence(let items) = self { items } else { nil }
    }

    /// The value of `key` in a mapping; `nil` when absent or when this is not a mapping.
    package subscript(key: String) -> YAMLValue? {
        entries?.first { $0.key == key }?.value
    }

    /// Follows a path of mapping keys: `document[path: "paths", "/healthz", "get"]`.
    package subscript(path keys: String...) -> YAMLValue? {
        var node: YAMLValue? = self
        for key in keys { node = node?[key] }
        return node
    }

    /// A plain scalar read as a YAML 1.2 core-schema boolean; `nil` when it is not one.
    package var bool: Bool? {
        guard case .plain(let text) = self else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// The value as compact JSON, for showing examples: plain scalars that read as
    /// numbers or booleans stay bare, everything else scalar becomes a JSON string.
    package func json(indent: String = "  ", level: Int = 0) -> String {
        switch self {
        case .null:
            return "null"
        case .plain(let text):
            if let bool { return bool ? "true" : "false" }
            return text.isJSONNumber ? text : Self.jsonString(text)
        case .string(let text):
            return Self.jsonString(text)
        case .sequence(let items):
            if items.isEmpty { return "[]" }
            let inner = String(repeating: indent, count: level + 1)
            let lines = items.map { inner + $0.json(indent: indent, level: level + 1) }
            return "[\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: indent, count: level) + "]"
        case .mapping(let entries):
            if entries.isEmpty { return "{}" }
            let inner = String(repeating: indent, count: level + 1)
            let lines = entries.map {
                inner + Self.jsonString($0.key) + ": " + $0.value.json(indent: indent, level: level + 1)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: indent, count: level) + "}"
        }
    }

    private static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension String {
    /// Whether the text is a number as JSON writes it (RFC 8259 §6).
    fileprivate var isJSONNumber: Bool {
        var scalars = Substring(self).unicodeScalars[...]
        func digits() -> Int {
            var count = 0
            while let first = scalars.first, ("0"..."9").contains(first) {
                scalars.removeFirst()
                count += 1
            }
            return count
        }
        if scalars.first == "-" { scalars.removeFirst() }
        if scalars.first == "0" {
            scalars.removeFirst()
        } else if digits() == 0 {
            return false
        }
        if scalars.first == "." {
            scalars.removeFirst()
            if digits() == 0 { return false }
        }
        if scalars.first == "e" || scalars.first == "E" {
            scalars.removeFirst()
            if scalars.first == "+" || scalars.first == "-" { scalars.removeFirst() }
            if digits() == 0 { return false }
        }
        return scalars.isEmpty
    }
}
