import HTTPCore

extension RequestBody {
    /// Checks `Content-Type` against the media types a route reads, from the headers alone, so
    /// it can run before any of the body is read.
    ///
    /// RFC 8259 §8.1: JSON exchanged between systems "MUST be encoded using UTF-8", and its media
    /// type defines no `charset`. A client that declares another one (`charset=latin1`) means
    /// bytes we would misread as UTF-8, so any `charset` other than `utf-8` (case-insensitive,
    /// quoted or not) is a 415; `charset=utf-8` and other parameters are accepted.
    /// - Parameters:
    ///   - accepted: the media types in lower case; `application/merge-patch+json` among them
    ///     adds `Accept-Patch` to the 415.
    ///   - advice: what to send, for the problem's detail; by default "Send the body with
    ///     Content-Type: …".
    /// - Throws: 415 naming what to send; never repeating what was sent.
    static func requireMediaType(in headers: HTTPHeaders, accepted: [String], advice: String? = nil) throws {
        let wanted = accepted.joined(separator: " or ")
        let advice = advice ?? "Send the body with Content-Type: \(wanted)."
        var problemHeaders = HTTPHeaders()
        if accepted.contains(mergePatchType) {
            problemHeaders.add("Accept-Patch", "\(mergePatchType), application/json")
        }
        func refuse(_ detail: String) -> HTTPError {
            HTTPError(.unsupportedMediaType, detail: detail, headers: problemHeaders)
        }
        guard let value = headers["Content-Type"] else { throw refuse(advice) }
        guard let (mediaType, parameters) = Self.parseMediaType(value), accepted.contains(mediaType) else {
            throw refuse("This Content-Type is not accepted here. \(advice)")
        }
        for (name, value) in parameters where name == "charset" && value.lowercasedASCII() != "utf-8" {
            throw refuse("The body must be UTF-8: send charset=utf-8 in Content-Type, or no charset.")
        }
    }

    /// `type/subtype *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] )` (RFC 9110 §8.3.1,
    /// §5.6.6): the media type and parameter names in lower case, quoted values unquoted.
    /// Nil when the field is not that shape.
    static func parseMediaType(_ field: String) -> (String, [(name: String, value: String)])? {
        let bytes = Array(field.utf8)
        var index = 0
        func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        }
        func token() -> String {
            let start = index
            while index < bytes.count, bytes[index] != 0x3B, bytes[index] != 0x3D, bytes[index] != 0x20,
                bytes[index] != 0x09
            {
                index += 1
            }
            return String(decoding: bytes[start..<index], as: UTF8.self).lowercasedASCII()
        }
        skipWhitespace()
        let mediaType = token()
        let slashes = mediaType.utf8.count(where: { $0 == UInt8(ascii: "/") })
        guard slashes == 1, !mediaType.hasPrefix("/"), !mediaType.hasSuffix("/") else { return nil }
        var parameters: [(name: String, value: String)] = []
        while true {
            skipWhitespace()
            guard index < bytes.count else { return (mediaType, parameters) }
            guard bytes[index] == 0x3B else { return nil }
            index += 1
            skipWhitespace()
            if index == bytes.count || bytes[index] == 0x3B { continue }
            let name = token()
            guard !name.isEmpty, index < bytes.count, bytes[index] == 0x3D else { return nil }
            index += 1
            if index < bytes.count, bytes[index] == 0x22 {
                // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
                index += 1
                var value: [UInt8] = []
                while true {
                    guard index < bytes.count else { return nil }
                    let byte = bytes[index]
                    index += 1
                    if byte == 0x22 { break }
                    if byte == 0x5C {
                        guard index < bytes.count else { return nil }
                        value.append(bytes[index])
                        index += 1
                    } else {
                        value.append(byte)
                    }
                }
                parameters.append((name, String(decoding: value, as: UTF8.self)))
            } else {
                let start = index
                while index < bytes.count, bytes[index] != 0x3B, bytes[index] != 0x20, bytes[index] != 0x09 {
                    index += 1
                }
                parameters.append((name, String(decoding: bytes[start..<index], as: UTF8.self)))
            }
        }
    }
}
