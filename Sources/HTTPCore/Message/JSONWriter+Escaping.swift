extension JSONWriter {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// RFC 8259 §7: quote, escape `"` `\\` and the control characters; everything else is UTF-8 as is.
    public static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        var string = string
        string.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            // Fast path: most strings need no escape, so copy them in one go.
            if needsEscaping(UnsafeRawBufferPointer(utf8)) {
                forEachEscapedByte(of: utf8) { bytes.append($0) }
            } else {
                bytes.append(contentsOf: utf8)
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Calls `put` with each byte of `utf8` escaped as RFC 8259 §7 requires: `"`, `\\` and the
    /// control characters (short forms where JSON has them, `\u00XX` otherwise); every other byte
    /// as it is. Without the quotes.
    @inline(__always)
    static func forEachEscapedByte(of utf8: UnsafeBufferPointer<UInt8>, _ put: (UInt8) -> Void) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): put(UInt8(ascii: "\\")); put(byte)
            case UInt8(ascii: "\\"): put(UInt8(ascii: "\\")); put(byte)
            case 0x0A: put(UInt8(ascii: "\\")); put(UInt8(ascii: "n"))
            case 0x0D: put(UInt8(ascii: "\\")); put(UInt8(ascii: "r"))
            case 0x09: put(UInt8(ascii: "\\")); put(UInt8(ascii: "t"))
            case 0..<0x20:
                for escape in "\\u00".utf8 { put(escape) }
                put(hex[Int(byte >> 4)])
                put(hex[Int(byte & 0x0F)])
            default: put(byte)
            }
        }
    }

    /// Whether any byte is `"`, `\\` or below 0x20, tested eight bytes at a time.
    static func needsEscaping(_ buffer: UnsafeRawBufferPointer) -> Bool {
        anyWord(of: buffer) { word in needsEscapingMask(word) != 0 }
    }

    /// Whether the bytes are ASCII that needs no escaping (none is `"`, `\\`, below 0x20 or above
    /// 0x7F), and so may be copied into a string as they are: valid UTF-8, and valid JSON.
    static func isPlainASCII(_ buffer: UnsafeRawBufferPointer) -> Bool {
        !anyWord(of: buffer) { word in (needsEscapingMask(word) | word) & highBits != 0 }
    }

    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Zero exactly when no byte of `x` is `"`, `\\` or below 0x20. (Only high bits are set, but
    /// not only those of such bytes: a borrow may carry into the next byte.)
    @inline(__always)
    private static func needsEscapingMask(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        // "Determine if a word has a byte less than n" (Bit Twiddling Hacks): a byte of x below n
        // sets its high bit in (x - n·ones) & ~x. Equality with c is a zero byte of x ^ c·ones.
        let below = (x &- ones &* 0x20) & ~x
        let quote = x ^ (ones &* 0x22)
        let backslash = x ^ (ones &* 0x5C)
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        return (below | zeroQuote | zeroBackslash) & highBits
    }

    /// Whether `test` holds for any word of `buffer`: words of eight bytes that cover every byte
    /// (the last overlaps the one before it; a shorter buffer is padded with spaces, which no test
    /// here flags). No test here depends on the order of the bytes in a word.
    @inline(__always)
    private static func anyWord(of buffer: UnsafeRawBufferPointer, _ test: (UInt64) -> Bool) -> Bool {
        let count = buffer.count
        guard count >= 8 else {
            var word: UInt64 = 0x2020_2020_2020_2020
            withUnsafeMutableBytes(of: &word) { $0.copyMemory(from: buffer) }
            return test(word)
        }
        var offset = 0
        while offset + 8 <= count {
            if test(buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) { return true }
            offset += 8
        }
        return offset < count
            && test(buffer.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }
}
