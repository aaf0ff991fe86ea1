/// The translation of the store-neutral `?` parameter marker into PostgreSQL's `$1`, `$2`, ….
///
/// Callers write `?` so that the same SQL runs on SQLite. A `?` inside a string constant, a quoted
/// identifier, a comment or a dollar-quoted string is text, not a parameter, and is left alone; the
/// lexical rules are PostgreSQL's ("4.1. Lexical Structure"). `?` appears nowhere else in our SQL
/// (no JSON `?` operators), so every other one is a parameter. `?NNN` names parameter NNN, which
/// may be used more than once; a bare `?` is one more than the largest number so far — SQLite's
/// rules, so the count is the largest number used.
enum Placeholders {
    /// `sql` with its `?` markers numbered, and how many there were.
    static func numbered(_ sql: String) -> (sql: String, count: Int) {
        let bytes = Array(sql.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        var count = 0
        var copied = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "?"):
                output.append(contentsOf: bytes[copied..<index])
                index += 1
                var digits = index
                while digits < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[digits]) {
                    digits += 1
                }
                let number =
                    digits > index ? Int(String(decoding: bytes[index..<digits], as: UTF8.self)) ?? 0 : count + 1
                count = max(count, number)
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(number).utf8)
                index = digits
                copied = index
            case UInt8(ascii: "'"):
                // E'...' is an escape string: a backslash escapes the next character.
                let isEscapeString =
                    index > 0 && (bytes[index - 1] | 0x20) == UInt8(ascii: "e")
                    && (index < 2 || !isIdentifierByte(bytes[index - 2]))
                index = endOfQuoted(bytes, from: index, quote: byte, backslashEscapes: isEscapeString)
            case UInt8(ascii: "\""):
                index = endOfQuoted(bytes, from: index, quote: byte, backslashEscapes: false)
            case UInt8(ascii: "-") where next(bytes, index) == UInt8(ascii: "-"):
                index = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            case UInt8(ascii: "/") where next(bytes, index) == UInt8(ascii: "*"):
                index = endOfBlockComment(bytes, from: index)
            case UInt8(ascii: "$") where index == 0 || !isIdentifierByte(bytes[index - 1]):
                index = endOfDollarQuoted(bytes, from: index)
            default:
                index += 1
            }
        }
        guard count > 0 else { return (sql, 0) }
        output.append(contentsOf: bytes[copied...])
        return (String(decoding: output, as: UTF8.self), count)
    }

    private static func next(_ bytes: [UInt8], _ index: Int) -> UInt8? {
        index + 1 < bytes.count ? bytes[index + 1] : nil
    }

    /// Letters, digits, `_`, `$` and any byte of a multi-byte UTF-8 character.
    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"), 0x80...0xFF:
            return true
        default:
            return false
        }
    }

    /// The index after the quote that closes the one at `start`; a doubled quote is an escaped one
    /// and closes nothing (it reads as a close and a reopen). Unterminated runs to the end.
    private static func endOfQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < bytes.count {
            if backslashEscapes && bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == quote {
                return index + 1
            }
            index += 1
        }
        return bytes.count
    }

    /// The index after the `*/` that ends the comment at `start`. "Block comments nest, as
    /// specified in the SQL standard but unlike C."
    private static func endOfBlockComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "/") && bytes[index + 1] == UInt8(ascii: "*") {
                depth += 1
                index += 2
            } else if bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return bytes.count
    }

    /// The index after a dollar-quoted string starting at `start` (`$$…$$`, `$tag$…$tag$`), or
    /// just after the `$` when it opens none (a `$1` parameter). "The tag, if any, of a
    /// dollar-quoted string follows the same rules as an unquoted identifier, except that it cannot
    /// contain a dollar sign."
    private static func endOfDollarQuoted(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start + 1
        if index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            return start + 1
        }
        while index < bytes.count, bytes[index] != UInt8(ascii: "$"), isIdentifierByte(bytes[index]) {
            index += 1
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "$") else { return start + 1 }
        let delimiter = bytes[start...index]
        var search = index + 1
        while search + delimiter.count <= bytes.count {
            if bytes[search] == UInt8(ascii: "$"), bytes[search..<(search + delimiter.count)].elementsEqual(delimiter) {
                return search + delimiter.count
            }
            search += 1
        }
        return bytes.count
    }
}
