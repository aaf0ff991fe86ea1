import HTTPCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a request's client is named for its buckets.
extension RateLimiter {
    /// Bits of an IPv6 address that name one client: its /64. A /64 is the smallest block a
    /// subscriber or a host is given (RFC 6177, RFC 7421), and one host can pick any of its 2^64
    /// addresses at will, so a bucket per address would be one per request. IPv4 addresses are
    /// counted whole.
    static let ipv6PrefixBits = 64

    /// The client's address block as 128 bits: IPv4 as `::ffff:a.b.c.d` (so an IPv4-mapped
    /// address from a dual-stack socket is the same client as its IPv4 form), IPv6 masked to
    /// its /64. An address that does not parse (none, in tests) is one shared block of its own.
    /// - Parameter remoteAddress: `ip:port` or `[ip]:port`, as `Request.remoteAddress` has it.
    static func addressBlock(_ remoteAddress: String) -> (high: UInt64, low: UInt64) {
        let unknown: (UInt64, UInt64) = (.max, .max)
        var host = Substring(remoteAddress)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return unknown }
            host = host[host.index(after: host.startIndex)..<close]
            if let zone = host.firstIndex(of: "%") { host = host[..<zone] }
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        guard !host.isEmpty, host.utf8.count < 64 else { return unknown }
        let text = String(host)
        let block: (UInt64, UInt64)
        if text.utf8.contains(UInt8(ascii: ":")) {
            var address = in6_addr()
            guard inet_pton(AF_INET6, text, &address) == 1 else { return unknown }
            block = withUnsafeBytes(of: &address) { bytes in
                (
                    bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) },
                    bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                )
            }
        } else {
            var address = in_addr()
            guard inet_pton(AF_INET, text, &address) == 1 else { return unknown }
            block = (0, 0xFFFF_0000_0000 | UInt64(UInt32(bigEndian: address.s_addr)))
        }
        let (high, low) = block
        let mapped = high == 0 && low >> 32 == 0xFFFF
        return mapped ? (high, low) : (high, 0)
    }

    /// The bearer token of `authorization`, or nil when there is none or it is not a
    /// syntactically valid one (RFC 6750 §2.1: `b64token`, here at most 256 bytes as the
    /// authenticator accepts).
    static func bearerToken(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let utf8 = authorization.utf8
        guard utf8.count > 7, utf8.count <= 7 + 256 + 16 else { return nil }
        let scheme = authorization.prefix(7)
        guard scheme.lowercased() == "bearer " else { return nil }
        let token = authorization.dropFirst(7).trimmingHTTPWhitespace()
        guard !token.isEmpty, token.utf8.count <= 256, isB64Token(token.utf8) else { return nil }
        return token
    }

    /// A keyed 64-bit hash of the bearer token (see ``bearerToken(_:)``). The hash is SipHash
    /// with the process's random seed: nobody outside can make two tokens collide, and the token
    /// itself is never kept.
    static func tokenDigest(_ authorization: String?) -> UInt64? {
        guard let token = bearerToken(authorization) else { return nil }
        var hasher = Hasher()
        hasher.combine(token)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
    private static func isB64Token(_ bytes: String.UTF8View) -> Bool {
        var padding = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "="):
                padding = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                if padding { return false }
            default:
                return false
            }
        }
        return bytes.first != UInt8(ascii: "=")
    }
}
