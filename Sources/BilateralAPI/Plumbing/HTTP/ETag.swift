import HTTPCore

/// Strong entity tags derived from the exact bytes of a representation (RFC 9110 §8.8.3).
public enum ETag {
    /// `"<16 hex digits>"`: a 64-bit digest of the body, taken 8 bytes at a time with
    /// multiply-xorshift mixing (the body of a list is tens of KiB; a byte-serial hash showed in
    /// profiles). Collisions would need the same resource to take two representations with equal
    /// digests; 64 well-mixed bits make that negligible. Not a defence against a chosen collision,
    /// which nobody gains from here: a client only ever compares a resource with itself.
    public static func of(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + 8 <= raw.count {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
                hash ^= hash >> 32
                offset += 8
            }
            var tail: UInt64 = 0
            while offset < raw.count {
                tail = tail << 8 | UInt64(raw[offset])
                offset += 1
            }
            hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    /// RFC 9110 §13.1.2: If-None-Match uses the weak comparison: `W/` prefixes are ignored.
    /// A tag compression added (`"…-gzip"`) names the same selected representation's content.
    public static func noneMatch(_ header: String?, current: String) -> Bool {
        guard let header else { return true }
        let wanted = normalize(current)
        for candidate in header.split(separator: ",") {
            let tag = candidate.trimmingHTTPWhitespace()
            if tag == "*" || normalize(tag) == wanted { return false }
        }
        return true
    }

    /// RFC 9110 §13.1.1: If-Match uses the strong comparison; `*` matches any current representation.
    public static func matches(_ header: String, current: String?) -> Bool {
        for candidate in header.split(separator: ",") {
            let tag = candidate.trimmingHTTPWhitespace()
            if tag == "*" { return current != nil }
            if let current, !tag.hasPrefix("W/"), stripEncoding(tag) == current { return true }
        }
        return false
    }

    private static func normalize(_ tag: String) -> String {
        stripEncoding(tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag)
    }

    private static func stripEncoding(_ tag: String) -> String {
        tag.hasSuffix("-gzip\"") ? String(tag.dropLast(6)) + "\"" : tag
    }
}
