/// A `BodyWriter` that gzips what it is given and passes the compressed bytes on.
///
/// zlib holds back output until it has a block's worth, so the client sees data in pieces of
/// tens of kilobytes rather than one per `write`; `finish()` sends the rest and the trailer.
final class GzipBodyWriter: BodyWriter {
    private let inner: any BodyWriter
    private let encoder: GzipEncoder

    init(wrapping inner: any BodyWriter, encoder: GzipEncoder) {
        self.inner = inner
        self.encoder = encoder
    }

    func write(_ bytes: [UInt8]) throws {
        if bytes.isEmpty { return }
        let compressed = encoder.compress(bytes)
        if !compressed.isEmpty { try inner.write(compressed) }
    }

    /// Ends the gzip member; call once, after the producer returned.
    func finish() throws {
        try inner.write(encoder.finish())
    }
}

@available(*, unavailable)
extension GzipBodyWriter: Sendable {}
