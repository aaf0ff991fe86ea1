/// A streamed request body with one layer of gzip content coding removed as it is read, the
/// decoded size held to the body's limit (a zip bomb stops at `limit`: 413).
final class GzipDecodingBodyStream: RequestBodyStream, @unchecked Sendable {
    // Read by one thread at a time, the handler's (RequestBodyStream's contract); the decoder and
    // the pending output are touched only inside `next()`.
    private let base: any RequestBodyStream
    private let decoder: GzipDecoder
    private var pending: [[UInt8]] = []
    private var ended = false
    private var sawInput = false

    var limit: Int { base.limit }

    init(_ base: any RequestBodyStream) throws {
        self.base = base
        decoder = try GzipDecoder(limit: base.limit)
    }

    func next() throws -> [UInt8]? {
        while pending.isEmpty {
            if ended { return nil }
            guard let input = try base.next() else {
                ended = true
                // An empty body has nothing to decode (as RequestDecompressionMiddleware treats it).
                if sawInput { try map { try decoder.finish() } }
                return nil
            }
            sawInput = sawInput || !input.isEmpty
            try map {
                try input.withUnsafeBytes { raw in try decoder.decompress(raw) { pending.append($0) } }
            }
        }
        return pending.removeFirst()
    }

    private func map(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as GzipError where error == .sizeLimitExceeded {
            throw HTTPError(
                .contentTooLarge, detail: "The decompressed request body exceeds the limit of \(limit) bytes.")
        } catch let error as GzipError where error == .corruptData {
            throw HTTPError(.badRequest, detail: "The request body is not valid gzip data (\(error.detail)).")
        }
    }
}
