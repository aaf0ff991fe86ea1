/// A body received whole, read as a stream: one piece, then the end.
final class BufferedBodyStream: RequestBodyStream, @unchecked Sendable {
    // Read by one thread at a time (RequestBodyStream's contract).
    private var remaining: [UInt8]?
    let limit: Int

    init(_ body: [UInt8]) {
        remaining = body
        limit = body.count
    }

    func next() throws -> [UInt8]? {
        defer { remaining = nil }
        guard let remaining, !remaining.isEmpty else { return nil }
        return remaining
    }
}
