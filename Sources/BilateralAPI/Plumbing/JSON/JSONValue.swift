/// A JSON value as RFC 8259 defines it, read from a request body or built to be written.
///
/// Numbers keep their source text (`JSONNumber`) and objects keep their member order
/// (`JSONObject`), so a value written back out says what it was given. Equality is semantic for
/// objects (member order does not matter, as RFC 8259 §4 calls an object "unordered") and textual
/// for numbers (`1` and `1.0` differ) — exactly when `canonicalBytes()` agree, except that strings
/// compare as Swift strings do, by Unicode canonical equivalence.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The JSON type's name for error messages: `string`, `number`, `boolean`, `null`, `array`, `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
