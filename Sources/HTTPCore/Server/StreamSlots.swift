import Synchronization

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

    /// The address part of a peer (`ip:port`, `[ip]:port`): what the per-client cap counts by.
    static func client(ofPeer peer: String) -> String {
        if peer.hasPrefix("["), let close = peer.firstIndex(of: "]") {
            return String(peer[peer.index(after: peer.startIndex)..<close])
        }
        if let colon = peer.lastIndex(of: ":") { return String(peer[..<colon]) }
        return peer
    }
}
