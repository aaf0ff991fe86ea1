#if canImport(Glibc)
    import Glibc
#endif

/// The bytes a connection has yet to write, as the arrays they were sent in: a large response
/// body stays the one array its handler made (shared by every connection answered with it), and
/// one `writev` takes several pieces at once.
struct OutboundQueue {
    private var pieces: [[UInt8]] = []
    private var first = 0
    /// Bytes of `pieces[first]` already written.
    private var offset = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        pieces.append(bytes)
        count += bytes.count
    }

    /// Writes as much as the socket takes now, up to 16 pieces per call.
    /// - Returns: The bytes written (0 when the socket is full), or the failure.
    mutating func write(to fd: Int32) -> IOResult {
        guard count > 0 else { return .done(0) }
        let pieceCount = min(pieces.count - first, 16)
        let result: IOResult
        if pieceCount == 1 {
            result = pieces[first].withUnsafeBytes { raw in
                SocketIO.write(fd, UnsafeRawBufferPointer(rebasing: raw[offset...]))
            }
        } else {
            result = withIOVectors(pieceCount) { SocketIO.writev(fd, $0) }
        }
        if case .done(let written) = result { consume(written) }
        return result
    }

    /// Calls `body` with the first `pieceCount` pieces as I/O vectors, each piece's address
    /// valid for the whole call: the pieces are entered one inside another.
    private func withIOVectors(_ pieceCount: Int, _ body: (UnsafeBufferPointer<iovec>) -> IOResult) -> IOResult {
        withUnsafeTemporaryAllocation(of: iovec.self, capacity: pieceCount) { vectors in
            func fill(_ index: Int) -> IOResult {
                if index == pieceCount { return body(UnsafeBufferPointer(vectors)) }
                return pieces[first + index].withUnsafeBytes { raw in
                    let skip = index == 0 ? offset : 0
                    vectors[index] = iovec(
                        iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress! + skip), iov_len: raw.count - skip)
                    return fill(index + 1)
                }
            }
            return fill(0)
        }
    }

    private mutating func consume(_ written: Int) {
        var left = written
        count -= written
        while left > 0 {
            let available = pieces[first].count - offset
            if left < available {
                offset += left
                return
            }
            left -= available
            pieces[first] = []
            first += 1
            offset = 0
        }
        if first == pieces.count {
            pieces.removeAll(keepingCapacity: pieces.capacity <= 64)
            first = 0
        } else if first > 32 {
            pieces.removeFirst(first)
            first = 0
        }
    }

    /// Drops everything (the connection is gone).
    mutating func removeAll() {
        pieces = []
        first = 0
        offset = 0
        count = 0
    }
}
