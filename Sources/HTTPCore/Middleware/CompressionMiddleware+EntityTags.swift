extension CompressionMiddleware {
    static let gzipTagSuffix = "-gzip"

    /// The tag of the gzip representation for a strong `etag` (`"x"` → `"x-gzip"`); nil for weak
    /// or malformed tags, which stay as they are.
    static func gzipTag(for etag: String) -> String? {
        let tag = etag.trimmingHTTPWhitespace()
        guard tag.count >= 2, tag.hasPrefix("\""), tag.hasSuffix("\"") else { return nil }
        return String(tag.dropLast()) + gzipTagSuffix + "\""
    }

    /// Rewrites `"x-gzip"` to `"x"` in `If-Match` and `If-None-Match` so handlers compare against
    /// identity tags only; returns the strong gzip tags the client sent in `If-None-Match`.
    static func identityTagsForConditionals(_ headers: inout HTTPHeaders) -> Set<String> {
        var gzipTagsSent: Set<String> = []
        for name in ["If-Match", "If-None-Match"] {
            let values = headers.values(for: name)
            guard !values.isEmpty, let tags = entityTags(in: values.joined(separator: ",")) else { continue }
            var changed = false
            let rewritten = tags.map { tag -> String in
                guard tag.hasPrefix("\""), tag.hasSuffix(gzipTagSuffix + "\"") else { return tag }
                if name == "If-None-Match" { gzipTagsSent.insert(tag) }
                changed = true
                return String(tag.dropLast(gzipTagSuffix.utf8.count + 1)) + "\""
            }
            if changed { headers.set(name, rewritten.joined(separator: ", ")) }
        }
        return gzipTagsSent
    }

    /// The entity tags of an `If-Match`/`If-None-Match` value (RFC 9110 §8.8.3), or nil for `*`
    /// and for anything malformed (left for the handler to judge). Tags may contain commas, so
    /// the list is scanned rather than split.
    static func entityTags(in value: String) -> [String]? {
        let bytes = Array(value.utf8)
        var tags: [String] = []
        var index = 0
        func skipSeparators(commas: Bool) {
            while index < bytes.count,
                bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")
                    || (commas && bytes[index] == UInt8(ascii: ","))
            { index += 1 }
        }
        while true {
            skipSeparators(commas: true)
            guard index < bytes.count else { break }
            let start = index
            if bytes[index] == UInt8(ascii: "W"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                index += 2
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            // etagc = %x21 / %x23-7E / obs-text
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                guard bytes[index] >= 0x21 else { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            index += 1
            tags.append(String(decoding: bytes[start..<index], as: UTF8.self))
            skipSeparators(commas: false)
            guard index == bytes.count || bytes[index] == UInt8(ascii: ",") else { return nil }
        }
        return tags.isEmpty ? nil : tags
    }
}
