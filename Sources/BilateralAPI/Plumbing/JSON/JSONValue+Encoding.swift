import HTTPCore

extension JSONValue {
    /// Compact JSON: object members in stored order, numbers as their text, strings escaped as
    /// RFC 8259 §7 requires (`"`, `\` and control characters) with everything else as UTF-8.
    public func jsonBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        append(to: &bytes, sortingKeys: false)
        return bytes
    }

    /// Compact JSON with every object's keys sorted by their UTF-8 bytes, at every depth: equal
    /// values give equal bytes whatever order their members came in, so the bytes can be hashed
    /// (an Idempotency-Key's body, say). Numbers keep their text, so `1` and `1.0` still differ.
    /// This is not RFC 8785 (JCS), which rewrites numbers and sorts keys by UTF-16 code units.
    public func canonicalBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        append(to: &bytes, sortingKeys: true)
        return bytes
    }

    /// Writes the value as one value of a larger document.
    public func write(to json: inout JSONWriter) {
        json.raw(jsonBytes())
    }

    private func append(to bytes: inout [UInt8], sortingKeys: Bool) {
        switch self {
        case .null:
            bytes.append(contentsOf: "null".utf8)
        case .bool(let value):
            bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let number):
            bytes.append(contentsOf: number.text.utf8)
        case .string(let string):
            JSONWriter.appendQuoted(string, to: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                element.append(to: &bytes, sortingKeys: sortingKeys)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            var members = object.members
            if sortingKeys { members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } }
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONWriter.appendQuoted(member.key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.value.append(to: &bytes, sortingKeys: sortingKeys)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}
