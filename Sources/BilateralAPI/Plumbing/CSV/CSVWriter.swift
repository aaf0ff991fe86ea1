import HTTPCore

/// RFC 4180 CSV: CRLF line ends; a field with a comma, quote, CR or LF is quoted, quotes doubled.
struct CSVWriter {
    private(set) var bytes: [UInt8] = []

    init(header: [String]) {
        row(header)
    }

    mutating func row(_ fields: [String?]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let field else { continue }
            let needsQuotes = field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
            if needsQuotes {
                bytes.append(0x22)
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
