/// Reads RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks.
public enum CSVReader {
    public struct FormatError: Error, CustomStringConvertible {
        public let line: Int
        public var description: String { "CSV line \(line): unterminated quoted field" }
    }

    /// Rows of fields; a trailing newline does not make an empty row.
    public static func rows(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if bytes.first == UInt8(ascii: "\"") {
                        field.append(byte)
                        bytes.removeFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inQuotes = true
            case UInt8(ascii: ","):
                row.append(String(decoding: field, as: UTF8.self))
                field = []
            case 0x0D: continue
            case 0x0A:
                row.append(String(decoding: field, as: UTF8.self))
                rows.append(row)
                row = []
                field = []
                line += 1
            default: field.append(byte)
            }
        }
        if inQuotes { throw FormatError(line: line) }
        if !field.isEmpty || !row.isEmpty {
            row.append(String(decoding: field, as: UTF8.self))
            rows.append(row)
        }
        return rows
    }
}
