import Synchronization

/// The gzip encodings of large responses that carry a strong `ETag`, kept once and shared, so a
/// page such as `/docs` is compressed once, not once per request, and a thousand slow readers of
/// it hold one compressed copy between them. A hit needs the same tag and the same bytes: a tag
/// is a hash, not a proof, and a record's author could choose bytes whose tag collides with a
/// page's. Comparing costs nothing for a static page, whose every response shares one array.
final class GzipCache: Sendable {
    private struct Entry {
        var source: [UInt8]
        var compressed: [UInt8]
    }

    private struct State {
        var entries: [String: Entry] = [:]
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
            guard let hit = state.entries[tag], hit.source == bytes else { return nil }
            state.order.removeAll { $0 == tag }
            state.order.append(tag)
            return hit.compressed
        }) {
            return hit
        }
        guard let made = make(bytes) else { return nil }
        state.withLock { state in
            if state.entries[tag] == nil {
                if state.order.count >= capacity { state.entries[state.order.removeFirst()] = nil }
                state.order.append(tag)
            }
            state.entries[tag] = Entry(source: bytes, compressed: made)
        }
        return made
    }
}
