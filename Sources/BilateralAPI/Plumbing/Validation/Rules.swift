/// The value rules shared by every collection (docs/record-design.md, "Validation").
enum Rules {
    static let maxTitle = 500
    static let maxText = 20_000
    static let maxShortText = 500
    static let maxList = 1000

    /// `^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`
    static func isValidID(_ id: String) -> Bool {
        let bytes = id.utf8
        guard let first = bytes.first, bytes.count <= 128, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
                || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "-")
        }
    }

    static let idRule = "must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// `YYYY-MM-DD` naming a real day of the proleptic Gregorian calendar (year 0001–9999).
    static func isValidDate(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard b[index] >= 0x30 && b[index] <= 0x39 else { return nil }
                value = value * 10 + Int(b[index] - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), year >= 1,
            (1...12).contains(month), day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// With `month` precision a date must be the 1st; with `year`, 1 January.
    static func dateFits(_ date: String, precision: String) -> Bool {
        switch precision {
        case "month": date.hasSuffix("-01")
        case "year": date.dropFirst(4) == "-01-01"
        default: true
        }
    }

    /// `^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`: a BCP 47-shaped language tag.
    static func isValidLanguage(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = parts.first, (2...3).contains(primary.utf8.count),
            primary.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A })
        else { return false }
        return parts.dropFirst().allSatisfy { part in
            (2...8).contains(part.utf8.count) && part.utf8.allSatisfy(isAlphanumeric)
        }
    }

    /// An absolute `http` or `https` URL with a host and no whitespace.
    static func isValidURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else {
            return false
        }
        guard let hostEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? Optional(rest.endIndex),
            rest.startIndex < hostEnd, text.utf8.count <= 2048
        else { return false }
        return !text.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 }
    }

    /// The length JSON Schema's `maxLength` counts: Unicode scalars.
    static func length(_ text: String) -> Int { text.unicodeScalars.count }
}
