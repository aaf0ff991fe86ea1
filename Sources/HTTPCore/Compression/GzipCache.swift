import Synchronization

/// The gzip encodings of large responses that carry a strong `ETag`, kept once and shared: the
/// same tag names the same bytes, so a page such as `/docs` is compressed once, not once per
/// request, and a thousand slow readers of it hold one compressed copy between them.
final class GzipCache: Sendable {
    private struct State {
        var entries: [String: [UInt8]] = [:]
        /// Tags from oldest to newest use.
        var order: [String] = []
    }

    private let state = Mutex(State())
    let capacity: Int
    /// Smaller bodies are cheap to compress again and not worth a place.
    let minimumSize: Int

    init(capacity: Int = 8, minimumSize: Int = 64 * 1024) {
        self.capacity = max(1, capacity)
        self.minimumSize = minimumSize
    }

    /// The gzip encoding of `bytes`, whose strong tag is `tag`, from the cache or made now.
    func compressed(_ bytes: [UInt8], tag: String, make: ([UInt8]) -> [UInt8]?) -> [UInt8]? {
        if let hit = state.withLock({ state -> [UInt8]? in
            guard let hit = state.entries[tag] else { return nil }
            state.order.removeAll { $0 == tag }
            state.order.append(tag)
            return hit
        }) {
            return hit
        }
        guard let made = make(bytes) else { return nil }
        state.withLock { state in
            if state.entries[tag] == nil {
                if state.order.count >= capacity { state.entries[state.order.removeFirst()] = nil }
                state.order.append(tag)
            }
            state.entries[tag] = made
        }
        return made
    }
}
