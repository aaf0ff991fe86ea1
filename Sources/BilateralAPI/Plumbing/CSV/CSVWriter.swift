import HTTPCore

/// RFC 4180 CSV that a spreadsheet cannot misread.
///
/// - Quoting (RFC 4180 §2): CRLF line ends; a field with a comma, quote, CR or LF is quoted, quotes
///   doubled.
/// - Formulas (OWASP, "CSV Injection"): a cell beginning with `=`, `+`, `-`, `@`, tab or CR is
///   prefixed with a single quote `'` and quoted, so Excel, LibreOffice and Google Sheets show it
///   as text instead of running it. A cell that is exactly a decimal number (`-3`, `2.5`) is left
///   alone: a spreadsheet reads it as that number, which is no formula, and numbers stay numbers.
///   The raw value is always in the JSON form of the same list.
/// - Lists (`aliases`, `topics`, `source_ids`, …) are one cell, items joined with `;`; inside an
///   item a `\` is written `\\` and a `;` is written `\;`, so splitting on unescaped `;` and
///   then unescaping gives the items back exactly.
struct CSVWriter {
    private(set) var bytes: [UInt8] = []

    init(header: [String]) {
        row(header)
    }

    mutating func row(_ fields: [String?]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let field else { continue }
            let neutralise = Self.mightBeFormula(field)
            let needsQuotes =
                neutralise || field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
            if needsQuotes {
                bytes.append(0x22)
                if neutralise { bytes.append(UInt8(ascii: "'")) }
                for byte in field.utf8 {
                    if byte == 0x22 { bytes.append(0x22) }
                    bytes.append(byte)
                }
                bytes.append(0x22)
            } else {
                bytes.append(contentsOf: field.utf8)
            }
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    /// Whether a spreadsheet could take `field` for a formula: it begins with `=`, `+`, `-`, `@`,
    /// tab or CR (OWASP's list) and is not simply a number.
    static func mightBeFormula(_ field: String) -> Bool {
        guard let first = field.utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D: return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return !isDecimalNumber(field.utf8.dropFirst())
        default: return false
        }
    }

    /// `digits [. digits]`, nothing else.
    private static func isDecimalNumber(_ bytes: Substring.UTF8View) -> Bool {
        var sawDigit = false
        var sawPoint = false
        var digitAfterPoint = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                if sawPoint { digitAfterPoint = true }
            case UInt8(ascii: ".") where sawDigit && !sawPoint: sawPoint = true
            default: return false
            }
        }
        return sawDigit && (!sawPoint || digitAfterPoint)
    }

    /// A list as one cell: items joined with `;`, a `\` or `;` inside an item escaped with `\`.
    static func list(_ items: [String]) -> String {
        var out = ""
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(";") }
            if item.utf8.contains(where: { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "\\") }) {
                for character in item.unicodeScalars {
                    if character == ";" || character == "\\" { out.append("\\") }
                    out.unicodeScalars.append(character)
                }
            } else {
                out.append(item)
            }
        }
        return out
    }

    /// Whether the client asked for CSV: `format=csv`, or `Accept` preferring `text/csv`.
    static func wanted(_ request: Request, format: String?) throws -> Bool {
        switch format {
        case nil: break
        case "csv": return true
        case "json": return false
        default: throw APIError.invalidParameter("format", "must be json or csv")
        }
        let accept = request.headers.listValues(for: "Accept").map { $0.lowercasedASCII() }
        return accept.contains { $0.hasPrefix("text/csv") } && !accept.contains { $0.hasPrefix("application/json") }
    }

    /// The CSV as a response, with the page's `Link` header when more follow, and `Vary: Accept`:
    /// the same URL answers JSON to another `Accept`.
    static func response(_ csv: CSVWriter, nextCursor: String?, for request: Request) -> Response {
        var headers = Representation.nextLinkHeader(nextCursor, for: request)
        headers.add("Vary", "Accept")
        return Representation.make(
            csv.bytes, contentType: "text/csv; charset=utf-8; header=present", for: request, headers: headers)
    }
}
