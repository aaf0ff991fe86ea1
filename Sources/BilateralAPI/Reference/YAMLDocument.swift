import Yams

/// Reads `openapi.yaml` with Yams into the `YAMLValue` tree the docs renderer walks.
///
/// Parsed once, at start-up: the page is rendered then and served as bytes, so Yams' cost is
/// paid once per process, never per request.
package enum YAMLDocument {
    /// Why a document could not be read: Yams' message (with its line and column), or a shape
    /// the renderer cannot use.
    package struct ParseError: Error, CustomStringConvertible {
        package var description: String

        package init(_ description: String) {
            self.description = description
        }
    }

    /// The first document in `text`; `.null` for an empty one.
    /// - Throws: `ParseError` when the text is not YAML.
    package static func parse(_ text: String) throws -> YAMLValue {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ParseError("\(error)")
        }
        guard let root else { return .null }
        return try value(of: root)
    }

    private static func value(of node: Node) throws -> YAMLValue {
        switch node {
        case .scalar(let scalar):
            switch scalar.style {
            case .plain, .any:
                // YAML 1.2 core schema: an empty plain scalar and `~`/`null` are null.
                return ["", "~", "null", "Null", "NULL"].contains(scalar.string) ? .null : .plain(scalar.string)
            case .singleQuoted, .doubleQuoted, .literal, .folded:
                return .string(scalar.string)
            }
        case .mapping(let mapping):
            return .mapping(
                try mapping.map { key, value in
                    guard case .scalar(let keyScalar) = key else {
                        throw ParseError("line \((key.mark?.line).map(String.init) ?? "?"): a key must be a scalar")
                    }
                    return YAMLEntry(keyScalar.string, try Self.value(of: value))
                })
        case .sequence(let sequence):
            return .sequence(try sequence.map { try Self.value(of: $0) })
        case .alias:
            throw ParseError("line \((node.mark?.line).map(String.init) ?? "?"): an alias was left unresolved")
        }
    }
}
