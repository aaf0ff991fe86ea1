/// A minimal streaming JSON writer: members come out in the order they are written, so the
/// bytes are stable across processes (Foundation's encoder on Linux does not keep key order).
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8]
    private var needsComma = false

    public init(reservingCapacity capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    /// Writes an object key; the next value written belongs to it.
    ///
    /// Keys are the program's own constants, copied as they are: a key must need no escaping
    /// (no `"`, `\\` or control character), which `snake_case` names never do.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a key made at run time (a status name as a member, say), escaped like a string.
    public mutating func key(escaping name: String) {
        separate()
        JSONWriter.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) {
        separate(); JSONWriter.appendQuoted(value, to: &bytes); needsComma = true
    }
    public mutating func int(_ value: Int) {
        separate(); bytes.append(contentsOf: String(value).utf8); needsComma = true
    }
    public mutating func double(_ value: Double) {
        separate()
        if value.isFinite {
            if value == value.rounded(), abs(value) < 1e15 {
                bytes.append(contentsOf: String(Int(value)).utf8)
            } else {
                bytes.append(contentsOf: "\(value)".utf8)
            }
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
        needsComma = true
    }
    public mutating func bool(_ value: Bool) {
        separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8); needsComma = true
    }
    public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8); needsComma = true }
    /// An array of strings.
    public mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    public mutating func optionalString(_ value: String?) { if let value { string(value) } else { null() } }
    public mutating func optionalInt(_ value: Int?) { if let value { int(value) } else { null() } }
    /// Ends an NDJSON line: a newline, after which the next value starts a new document.
    public mutating func endLine() { bytes.append(0x0A); needsComma = false }
    /// Empties the buffer, keeping its capacity (after its bytes were handed on).
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true); needsComma = false }
    /// Appends already-encoded JSON as one value.
    public mutating func raw(_ json: [UInt8]) { separate(); bytes.append(contentsOf: json); needsComma = true }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// RFC 8259 §7: quote, escape `"` `\\` and the control characters; everything else is UTF-8 as is.
    public static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Fast path: most strings need no escape, so copy them in one go.
        let copied = string.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !needsEscaping(UnsafeRawBufferPointer(utf8)) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied != true {
            appendEscaped(string, to: &bytes)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether any byte is `"`, `\\` or below 0x20, tested eight bytes at a time.
    static func needsEscaping(_ buffer: UnsafeRawBufferPointer) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // "Determine if a word has a byte less than n" (Bit Twiddling Hacks): a byte of x below n
        // sets its high bit in (x - n·ones) & ~x. Equality with c is a zero byte of x ^ c·ones.
        func hasByteBelow0x20OrQuoteOrBackslash(_ x: UInt64) -> Bool {
            let below = (x &- ones &* 0x20) & ~x
            let quote = x ^ (ones &* 0x22)
            let backslash = x ^ (ones &* 0x5C)
            let zeroQuote = (quote &- ones) & ~quote
            let zeroBackslash = (backslash &- ones) & ~backslash
            return (below | zeroQuote | zeroBackslash) & highs != 0
        }
        var offset = 0
        let count = buffer.count
        while offset + 8 <= count {
            if hasByteBelow0x20OrQuoteOrBackslash(buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) {
                return true
            }
            offset += 8
        }
        while offset < count {
            let byte = buffer[offset]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            offset += 1
        }
        return false
    }

    private static func appendEscaped(_ string: String, to bytes: inout [UInt8]) {
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
    }
}
