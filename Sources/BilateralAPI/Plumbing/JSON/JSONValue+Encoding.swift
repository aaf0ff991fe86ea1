import HTTPCore

extension JSONValue {
    /// Compact JSON: object members in stored order, numbers as their text, strings escaped as
    /// RFC 8259 §7 requires (`"`, `\` and control characters) with everything else as UTF-8.
    public func jsonBytes() -> [UInt8] {
        var json = JSONWriter()
        write(to: &json)
        return json.bytes
    }

    /// Writes the value as one value of a larger document, through the writer every response uses.
    public func write(to json: inout JSONWriter) {
        switch self {
        case .null:
            json.null()
        case .bool(let value):
            json.bool(value)
        case .number(let number):
            // The number's own text, already valid JSON: `1` and `1.0` stay what they were.
            json.raw(Array(number.text.utf8))
        case .string(let string):
            json.string(string)
        case .array(let elements):
            json.beginArray()
            for element in elements { element.write(to: &json) }
            json.endArray()
        case .object(let object):
            json.beginObject()
            for member in object.members {
                json.key(escaping: member.key)
                member.value.write(to: &json)
            }
            json.endObject()
        }
    }
}
