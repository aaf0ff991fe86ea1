import HTTPCore

/// Strong entity tags derived from the exact bytes of a representation (RFC 9110 §8.8.3).
public enum ETag {
    /// `"<16 hex digits>"`: a 64-bit FNV-1a digest of the body. Collisions would need the same
    /// resource to take two representations with equal digests; 64 bits make that negligible.
    public static func of(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
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
