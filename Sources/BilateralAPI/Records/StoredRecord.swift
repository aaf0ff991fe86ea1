/// A record as stored: its id, its writable content, and the server's bookkeeping.
struct StoredRecord<Content: Equatable & Sendable>: Sendable {
    var id: String
    var content: Content
    var createdAt: String
    var updatedAt: String
    var version: Int
}
