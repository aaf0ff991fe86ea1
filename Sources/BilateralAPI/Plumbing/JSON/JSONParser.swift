import HTTPCore

/// Reads a request body as strict RFC 8259 JSON.
///
/// Exactly one value, optionally surrounded by whitespace (space, tab, LF, CR). No byte order mark,
/// comments, trailing commas, single quotes, `NaN` or `Infinity`; numbers and escapes as the RFC's
/// grammar says; strings must be valid UTF-8 without raw control characters or lone surrogates.
/// Beyond the RFC, which leaves both to the implementation: a key repeated in one object is an
/// error (RFC 8259 §4: "the behavior of software that receives such an object is unpredictable" —
/// parsers disagree on which value wins, so a body could mean one thing here and another to a
/// proxy), and so is nesting deeper than `maxDepth`.
///
/// The parser is iterative, so no input can exhaust the stack.
public enum JSONParser {
    /// How deep arrays and objects may nest in a request body (docs/record-design.md).
    public static let defaultMaxDepth = 64

    /// The value `bytes` hold.
    /// - Parameters:
    ///   - maxDepth: how many arrays and objects may enclose one another; `[[1]]` has depth 2, `1` depth 0.
    /// - Throws: `JSONParseError` at the first byte that breaks the rules.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) in
                try parse(buffer, maxDepth: maxDepth)
            }
        }.get()
    }

    /// The value a slice of bytes holds; offsets in errors count from the slice's start.
    public static func parse(_ bytes: ArraySlice<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONParseError)
        -> JSONValue
    {
        try bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) in
                try parse(buffer, maxDepth: maxDepth)
            }
        }.get()
    }

    /// The value the memory holds.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth)
        throws(JSONParseError) -> JSONValue
    {
        try parse(bytes.assumingMemoryBound(to: UInt8.self), maxDepth: maxDepth)
    }

    /// The value a string's UTF-8 holds.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in
                try parse(buffer, maxDepth: maxDepth)
            }
        }.get()
    }

    /// The value the buffer holds.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth)
        throws(JSONParseError) -> JSONValue
    {
        var reader = Reader(input: bytes, maxDepth: maxDepth)
        return try reader.document()
    }
}

extension JSONParser {
    /// An array or object whose members are still being read.
    private struct OpenContainer {
        let isObject: Bool
        var elements: [JSONValue] = []
        var members: [JSONObject.Element] = []
        var positions: [String: Int] = [:]
        /// The key whose value comes next (objects only).
        var key = ""
    }

    /// A position in the input and the work of reading from it.
    struct Reader {
        let input: UnsafeBufferPointer<UInt8>
        let maxDepth: Int
        var position = 0
        /// Reused for strings with escapes, so each does not allocate its own buffer.
        var scratch: [UInt8] = []

        init(input: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
            self.input = input
            self.maxDepth = maxDepth
        }

        func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
            JSONParseError(message, at: offset ?? position, in: input)
        }

        mutating func document() throws(JSONParseError) -> JSONValue {
            if input.starts(with: [0xEF, 0xBB, 0xBF]) {
                // RFC 8259 §8.1: senders MUST NOT add one; parsers MAY ignore it. We say so instead.
                throw error("a byte order mark (U+FEFF) is not allowed; send UTF-8 without one")
            }
            if input.starts(with: [0xFE, 0xFF]) || input.starts(with: [0xFF, 0xFE]) {
                throw error("the body looks like UTF-16; JSON must be UTF-8 (RFC 8259 §8.1)")
            }
            skipWhitespace()
            if position == input.count { throw error("the body is empty; expected a JSON value") }
            let value = try valueAndContainers()
            skipWhitespace()
            if position < input.count { throw error("unexpected \(describe(input[position])) after the JSON value") }
            return value
        }

        /// Reads one value, nested arrays and objects included, keeping open containers on a heap stack.
        private mutating func valueAndContainers() throws(JSONParseError) -> JSONValue {
            var open: [OpenContainer] = []
            while true {
                skipWhitespace()
                guard position < input.count else { throw error("unexpected end of input; expected a value") }
                var value: JSONValue
                switch input[position] {
                case UInt8(ascii: "{"):
                    if open.count >= maxDepth { throw error("arrays and objects nest deeper than \(maxDepth) levels") }
                    position += 1
                    skipWhitespace()
                    if position < input.count, input[position] == UInt8(ascii: "}") {
                        position += 1
                        value = .object(JSONObject())
                    } else {
                        var object = OpenContainer(isObject: true)
                        try key(into: &object)
                        open.append(object)
                        continue
                    }
                case UInt8(ascii: "["):
                    if open.count >= maxDepth { throw error("arrays and objects nest deeper than \(maxDepth) levels") }
                    position += 1
                    skipWhitespace()
                    if position < input.count, input[position] == UInt8(ascii: "]") {
                        position += 1
                        value = .array([])
                    } else {
                        open.append(OpenContainer(isObject: false))
                        continue
                    }
                case UInt8(ascii: "\""):
                    value = .string(try string())
                case UInt8(ascii: "t"):
                    try literal("true")
                    value = .bool(true)
                case UInt8(ascii: "f"):
                    try literal("false")
                    value = .bool(false)
                case UInt8(ascii: "n"):
                    try literal("null")
                    value = .null
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    value = .number(try number())
                case UInt8(ascii: "]") where followsComma():
                    throw error("a trailing comma before ']' is not allowed")
                case let byte:
                    throw error("unexpected \(describe(byte)); expected a value")
                }
                // The value is complete: add it to its container, then close every container that ends here.
                while let top = open.indices.last {
                    skipWhitespace()
                    let next: UInt8? = position < input.count ? input[position] : nil
                    if open[top].isObject {
                        open[top].members.append((open[top].key, value))
                        if next == UInt8(ascii: ",") {
                            position += 1
                            try key(into: &open[top])
                            break
                        }
                        guard next == UInt8(ascii: "}") else {
                            throw error("expected ',' or '}' after an object member")
                        }
                        position += 1
                        let object = open.removeLast()
                        value = .object(JSONObject(uniqueMembers: object.members, positions: object.positions))
                    } else {
                        open[top].elements.append(value)
                        if next == UInt8(ascii: ",") {
                            position += 1
                            break
                        }
                        guard next == UInt8(ascii: "]") else {
                            throw error("expected ',' or ']' after an array element")
                        }
                        position += 1
                        value = .array(open.removeLast().elements)
                    }
                }
                if open.isEmpty { return value }
            }
        }

        /// Reads `"key" :` into an open object, rejecting a key it already has.
        private mutating func key(into object: inout OpenContainer) throws(JSONParseError) {
            skipWhitespace()
            guard position < input.count, input[position] == UInt8(ascii: "\"") else {
                if position < input.count, input[position] == UInt8(ascii: "}"), followsComma() {
                    throw error("a trailing comma before '}' is not allowed")
                }
                if position == input.count { throw error("unexpected end of input; expected a string key") }
                throw error("unexpected \(describe(input[position])); expected a string key in double quotes")
            }
            let start = position
            let key = try string()
            if isDuplicate(key, in: &object) {
                throw error("duplicate key \(quoted(key)) in an object", at: start)
            }
            skipWhitespace()
            guard position < input.count, input[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after an object key")
            }
            position += 1
            object.key = key
        }

        /// Whether the last byte before `position` that is not whitespace is a comma.
        private func followsComma() -> Bool {
            var index = position - 1
            while index >= 0, [0x20, 0x0A, 0x0D, 0x09].contains(input[index]) { index -= 1 }
            return index >= 0 && input[index] == UInt8(ascii: ",")
        }

        /// A key as a message quotes it: JSON-escaped and cut at 64 characters, as it may be
        /// anything, of any length, and the message goes back to the client and into logs.
        private func quoted(_ key: String) -> String {
            var shown = key
            if key.unicodeScalars.count > 64 {
                shown = String(String.UnicodeScalarView(key.unicodeScalars.prefix(64))) + "…"
            }
            var bytes: [UInt8] = []
            JSONWriter.appendQuoted(shown, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }

        /// Whether an open object has `key` already; indexes its keys once it outgrows a scan,
        /// as `JSONObject` expects.
        private func isDuplicate(_ key: String, in object: inout OpenContainer) -> Bool {
            let count = object.members.count
            if count < JSONObject.scanLimit {
                return object.members.contains { $0.key == key }
            }
            if count == JSONObject.scanLimit {
                for (index, member) in object.members.enumerated() { object.positions[member.key] = index }
            }
            return object.positions.updateValue(count, forKey: key) != nil
        }

        private mutating func literal(_ word: StaticString) throws(JSONParseError) {
            let count = word.utf8CodeUnitCount
            let matches =
                position + count <= input.count
                && word.withUTF8Buffer { expected in
                    input[position..<position + count].elementsEqual(expected)
                }
            guard matches else { throw error("invalid literal; expected '\(word)'") }
            position += count
        }

        /// RFC 8259 §6: `[ minus ] int [ frac ] [ exp ]`, where `int = zero / ( digit1-9 *DIGIT )`,
        /// `frac = decimal-point 1*DIGIT` and `exp = e [ minus / plus ] 1*DIGIT`.
        private mutating func number() throws(JSONParseError) -> JSONNumber {
            let start = position
            if input[position] == UInt8(ascii: "-") { position += 1 }
            guard digitFollows() else { throw error("expected a digit after '-'") }
            if input[position] == UInt8(ascii: "0") {
                position += 1
                if digitFollows() { throw error("a number must not have leading zeros", at: start) }
            } else {
                skipDigits()
            }
            if position < input.count, input[position] == UInt8(ascii: ".") {
                position += 1
                guard digitFollows() else { throw error("expected a digit after the decimal point") }
                skipDigits()
            }
            if position < input.count, input[position] | 0x20 == UInt8(ascii: "e") {
                position += 1
                if position < input.count, input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-")
                {
                    position += 1
                }
                guard digitFollows() else { throw error("expected a digit in the exponent") }
                skipDigits()
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<position]), as: UTF8.self)
            return JSONNumber(uncheckedText: text)
        }

        private func digitFollows() -> Bool {
            position < input.count && input[position] &- UInt8(ascii: "0") < 10
        }

        private mutating func skipDigits() {
            while digitFollows() { position += 1 }
        }

        mutating func skipWhitespace() {
            while position < input.count {
                switch input[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        /// A byte as a message names it: `'x'` when printable ASCII, `byte 0xC3` otherwise.
        func describe(_ byte: UInt8) -> String {
            if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
            return "byte 0x\(byteHex(byte))"
        }

        func byteHex(_ byte: UInt8) -> String {
            (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }
    }
}
