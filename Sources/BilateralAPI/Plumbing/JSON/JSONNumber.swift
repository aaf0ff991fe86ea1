/// A JSON number as written: the exact source text, so `1.0`, `1` and `1e0` stay distinct and an
/// integer beyond 2^53 is not rounded through `Double`.
///
/// Equality compares the text.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    /// The number as it appears in JSON (RFC 8259 §6 grammar).
    public let text: String

    /// Adopts text the parser has already checked against the number grammar.
    init(uncheckedText text: String) {
        self.text = text
    }

    /// A number from its JSON text, or nil when `text` is not a JSON number (`+1`, `.5`, `01`, `NaN`).
    public init?(_ text: String) {
        guard case .number(let number)? = try? JSONParser.parse(text, maxDepth: 0),
            number.text.utf8.count == text.utf8.count
        else { return nil }
        self.text = text
    }

    public init(_ value: Int) {
        text = String(value)
    }

    /// The shortest text that reads back as `value`; nil for NaN and the infinities, which JSON cannot carry.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        text = value.description
    }

    public var description: String { text }

    /// The value as an `Int` when it is an exact integer that fits: `100`, `1e2` and `1.0` give 100,
    /// `-0` gives 0; `1.5`, `1e-1` and anything beyond `Int`'s range give nil.
    public var int: Int? {
        var utf8 = text
        return utf8.withUTF8 { JSONNumber.exactInteger($0) }
    }

    /// The nearest `Double`; nil when the magnitude is too large for one (`1e400`).
    public var double: Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}

extension JSONNumber {
    /// The integer a valid number's text denotes, computed in decimal so nothing is rounded.
    private static func exactInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let isNegative = bytes.first == UInt8(ascii: "-")
        var index = isNegative ? 1 : 0
        // The value is significand × 10^exponent; the significand's digits drop leading zeros and the point.
        var significand: [UInt8] = []
        var exponent = 0
        var isFraction = false
        while index < bytes.count, bytes[index] | 0x20 != UInt8(ascii: "e") {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: ".") {
                isFraction = true
                continue
            }
            if !significand.isEmpty || byte != UInt8(ascii: "0") { significand.append(byte &- UInt8(ascii: "0")) }
            if isFraction { exponent -= 1 }
        }
        if index < bytes.count {
            index += 1
            let exponentIsNegative = bytes[index] == UInt8(ascii: "-")
            if exponentIsNegative || bytes[index] == UInt8(ascii: "+") { index += 1 }
            // Saturate: an exponent past a billion already decides the answer, and `+=` cannot overflow.
            var written = 0
            while index < bytes.count {
                written = min(written * 10 + Int(bytes[index] &- UInt8(ascii: "0")), 1_000_000_000)
                index += 1
            }
            exponent += exponentIsNegative ? -written : written
        }
        // Trailing zeros of the significand move into the exponent: 1.50e1 is 15 × 10^0.
        while significand.last == 0 {
            significand.removeLast()
            exponent += 1
        }
        if significand.isEmpty { return 0 }
        guard exponent >= 0, significand.count + exponent <= 19 else { return nil }
        // Accumulate negatively so Int.min, whose magnitude Int cannot hold, still fits.
        var value = 0
        for digit in significand {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(Int(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = next
        }
        for _ in 0..<exponent {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = shifted
        }
        if isNegative { return value }
        let (positive, overflow) = (0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }
}
