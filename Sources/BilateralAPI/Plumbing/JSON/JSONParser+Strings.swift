extension JSONParser.Reader {
    /// Reads a string whose opening quote is at `position`, leaving `position` after the closing one.
    ///
    /// RFC 8259 §7: any character may appear "except for the characters that MUST be escaped:
    /// quotation mark, reverse solidus, and the control characters (U+0000 through U+001F)".
    /// §8.1: the text is UTF-8, checked here byte by byte so an error can say where.
    mutating func string() throws(JSONParseError) -> String {
        let quote = position
        position += 1
        let start = position
        // Most strings have no escapes: validate in place and decode the slice once.
        while position < input.count {
            skipPlainASCII()
            guard position < input.count else { break }
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<position]), as: UTF8.self)
                position += 1
                return text
            } else if byte == UInt8(ascii: "\\") {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: input[start..<position])
                return try escapedString(openedAt: quote)
            } else if byte < 0x20 {
                throw controlCharacterError(byte)
            } else if byte < 0x80 {
                position += 1
            } else {
                position += try utf8SequenceLength()
            }
        }
        throw error("unterminated string", at: quote)
    }

    /// Moves `position` past bytes that need no attention in a string: ASCII other than `"`, `\`
    /// and control characters. Eight at a time, as one word: a byte gets its high bit in `mask` only
    /// if it, or a lower byte, needs attention (a subtraction borrows only out of a byte that does),
    /// so the lowest marked byte is the first that needs it; non-ASCII bytes mark themselves.
    private mutating func skipPlainASCII() {
        guard let base = input.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        while position + 8 <= input.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            let control = word &- ones &* 0x20
            let quote = (word ^ (ones &* 0x22)) &- ones
            let backslash = (word ^ (ones &* 0x5C)) &- ones
            let mask = (control | quote | backslash | word) & (ones &* 0x80)
            if mask != 0 {
                position += mask.trailingZeroBitCount / 8
                return
            }
            position += 8
        }
    }

    /// The rest of a string that has escapes, built in `scratch` from `position` on.
    private mutating func escapedString(openedAt quote: Int) throws(JSONParseError) -> String {
        while position < input.count {
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                try escape(inStringOpenedAt: quote)
            } else if byte < 0x20 {
                throw controlCharacterError(byte)
            } else if byte < 0x80 {
                scratch.append(byte)
                position += 1
            } else {
                let length = try utf8SequenceLength()
                scratch.append(contentsOf: input[position..<position + length])
                position += length
            }
        }
        throw error("unterminated string", at: quote)
    }

    private func controlCharacterError(_ byte: UInt8) -> JSONParseError {
        error("control character U+00\(byteHex(byte)) must be escaped in a string")
    }

    /// Appends the character the escape at `position` stands for.
    private mutating func escape(inStringOpenedAt quote: Int) throws(JSONParseError) {
        let start = position
        guard position + 1 < input.count else { throw error("unterminated string", at: quote) }
        let letter = input[position + 1]
        position += 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(letter)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hexQuad(escapeAt: start)
            switch unit {
            case 0xD800...0xDBFF:
                // §7: a character outside the BMP is "a 12-character sequence, encoding the UTF-16
                // surrogate pair"; half of one is not a character.
                guard input[position...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                    throw error("unpaired surrogate \\u\(hex(unit)): a low surrogate escape must follow", at: start)
                }
                position += 2
                let low = try hexQuad(escapeAt: position - 2)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("unpaired surrogate \\u\(hex(unit)) followed by \\u\(hex(low))", at: start)
                }
                appendUTF8(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
            case 0xDC00...0xDFFF:
                throw error("unpaired surrogate \\u\(hex(unit)): a low surrogate must follow a high one", at: start)
            default:
                appendUTF8(UInt32(unit))
            }
        case 0x21..<0x7F:
            throw error("invalid escape '\\\(Character(Unicode.Scalar(letter)))'", at: start)
        default:
            throw error("invalid escape: a backslash followed by \(describe(letter))", at: start)
        }
    }

    /// Reads the four hex digits after `\u`, which begins at `escape`.
    private mutating func hexQuad(escapeAt escape: Int) throws(JSONParseError) -> UInt16 {
        var unit: UInt16 = 0
        for _ in 0..<4 {
            guard position < input.count, let digit = hexDigitValue(input[position]) else {
                throw error("invalid \\u escape: expected four hexadecimal digits", at: escape)
            }
            unit = unit << 4 | UInt16(digit)
            position += 1
        }
        return unit
    }

    private func hexDigitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private func hex(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// Appends a scalar (never a surrogate) as UTF-8.
    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(0xC0 | UInt8(scalar >> 6))
            scratch.append(0x80 | UInt8(scalar & 0x3F))
        case ..<0x10000:
            scratch.append(0xE0 | UInt8(scalar >> 12))
            scratch.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            scratch.append(0x80 | UInt8(scalar & 0x3F))
        default:
            scratch.append(0xF0 | UInt8(scalar >> 18))
            scratch.append(0x80 | UInt8(scalar >> 12 & 0x3F))
            scratch.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            scratch.append(0x80 | UInt8(scalar & 0x3F))
        }
    }

    /// The length of the well-formed UTF-8 sequence whose lead byte (not ASCII) is at `position`.
    ///
    /// Unicode 15 Table 3-7 lists the well-formed sequences; the narrowed second-byte ranges after
    /// E0, ED, F0 and F4 are what exclude overlong forms, encoded surrogates and code points above U+10FFFF.
    private func utf8SequenceLength() throws(JSONParseError) -> Int {
        let lead = input[position]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        case 0x80...0xBF: throw error("invalid UTF-8: unexpected continuation byte 0x\(byteHex(lead))")
        case 0xC0, 0xC1: throw error("invalid UTF-8: overlong encoding (lead byte 0x\(byteHex(lead)))")
        default: throw error("invalid UTF-8: byte 0x\(byteHex(lead)) never appears in UTF-8")
        }
        guard position + 1 < input.count, (0x80...0xBF).contains(input[position + 1]) else {
            throw error("invalid UTF-8: incomplete sequence")
        }
        guard second.contains(input[position + 1]) else {
            switch lead {
            case 0xE0, 0xF0: throw error("invalid UTF-8: overlong encoding")
            case 0xED: throw error("invalid UTF-8: an encoded surrogate (U+D800 to U+DFFF)")
            default: throw error("invalid UTF-8: a code point above U+10FFFF")
            }
        }
        for offset in 2..<length {
            guard position + offset < input.count, (0x80...0xBF).contains(input[position + offset]) else {
                throw error("invalid UTF-8: incomplete sequence")
            }
        }
        return length
    }
}
