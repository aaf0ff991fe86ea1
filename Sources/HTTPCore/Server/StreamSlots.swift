import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The streamed response bodies in progress, in all and per client address. A stream holds a
/// thread of the stream pool and (for an export) a database snapshot for as long as its client
/// reads, so the number is bounded twice: a server-wide cap keeps the pool from ever queueing,
/// and a per-address cap keeps one client from taking every place.
final class StreamSlots: Sendable {
    enum Refusal: Equatable {
        /// Every place is taken: 503.
        case server
        /// This client holds its share: 429.
        case client
    }

    private struct State {
        var total = 0
        var perClient: [String: Int] = [:]
    }

    private let state = Mutex(State())
    let maxTotal: Int
    let maxPerClient: Int

    init(maxTotal: Int, maxPerClient: Int) {
        self.maxTotal = max(1, maxTotal)
        self.maxPerClient = max(1, maxPerClient)
    }

    /// Takes a place for `client`, or says why not.
    func open(for client: String) -> Refusal? {
        state.withLock { state in
            if state.total >= maxTotal { return .server }
            let held = state.perClient[client, default: 0]
            if held >= maxPerClient { return .client }
            state.total += 1
            state.perClient[client] = held + 1
            return nil
        }
    }

    /// Gives back a place `open` took.
    func close(for client: String) {
        state.withLock { state in
            state.total -= 1
            let held = state.perClient[client, default: 1] - 1
            state.perClient[client] = held > 0 ? held : nil
        }
    }

    var inUse: Int { state.withLock { $0.total } }

    /// The problem a refused stream is answered with.
    static func problem(for refusal: Refusal) -> HTTPError {
        var headers = HTTPHeaders()
        switch refusal {
        case .server:
            headers.add("Retry-After", "5")
            return HTTPError(
                .serviceUnavailable,
                detail: "Too many streamed responses are in progress on this server; retry later.", headers: headers)
        case .client:
            headers.add("Retry-After", "5")
            return HTTPError(
                .tooManyRequests,
                detail:
                    "This client already has as many streamed responses in progress as it may; retry when one ends.",
                headers: headers)
        }
    }

    /// What the per-client cap counts by: a peer's (`ip:port`, `[ip]:port`) IPv4 address, or
    /// its IPv6 /64 (a host may use any address of its /64 at will), an IPv4-mapped IPv6
    /// address counting as its IPv4 one; as the rate limits count clients.
    static func client(ofPeer peer: String) -> String {
        var host = peer
        if peer.hasPrefix("["), let close = peer.firstIndex(of: "]") {
            host = String(peer[peer.index(after: peer.startIndex)..<close])
        } else if let colon = peer.lastIndex(of: ":") {
            host = String(peer[..<colon])
        }
        var address = in6_addr()
        guard inet_pton(AF_INET6, host, &address) == 1 else { return host }
        let bytes = withUnsafeBytes(of: &address) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        let prefix = stride(from: 0, to: 8, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }
        return prefix.joined(separator: ":") + "::/64"
    }
}
