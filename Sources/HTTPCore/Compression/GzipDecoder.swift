import CZlib

/// Streaming gzip decompression (RFC 1952) with a hard limit on the decompressed size.
///
/// Output is produced in bounded pieces (`pieceSize`) and counted as it grows, so a zip bomb costs
/// at most `limit` plus one piece of memory before `GzipError.sizeLimitExceeded` is thrown.
/// Concatenated members are decoded one after another, as gzip(1) does (RFC 1952 §2.2: "a gzip
/// file consists of a series of members"); anything after a member that is not another member is
/// corrupt data. Only the gzip wrapper is accepted (windowBits 15 + 16): a zlib-wrapped stream is
/// the `deflate` coding, which we do not offer. Confined to one thread at a time.
public final class GzipDecoder {
    /// The most output handed out per call of `emit`.
    public static let pieceSize = 64 * 1024

    /// The most decompressed bytes this decoder will produce.
    public let limit: Int
    /// Decompressed bytes produced so far.
    public private(set) var totalOut = 0

    private let stream: UnsafeMutablePointer<z_stream>
    private let scratch: UnsafeMutablePointer<UInt8>
    private var inMember = false
    private var sawMember = false
    private var failed: GzipError?

    /// - Parameter limit: the most decompressed bytes accepted, across all members.
    /// - Throws: `GzipError.zlibFailure` when zlib cannot allocate its state.
    public init(limit: Int) throws {
        precondition(limit >= 0, "limit must not be negative")
        self.limit = limit
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = bilateral_inflate_init2(stream, 15 + 16)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw GzipError.zlibFailure("inflateInit2 returned \(status)")
        }
        scratch = .allocate(capacity: GzipDecoder.pieceSize)
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// Decompresses `chunk`, handing each piece of output to `emit` as it is produced.
    /// - Throws: `GzipError.corruptData`, `GzipError.sizeLimitExceeded`, or what `emit` throws.
    ///   After an error the decoder keeps failing with it.
    public func decompress(_ chunk: UnsafeRawBufferPointer, emit: ([UInt8]) throws -> Void) throws {
        if let failed { throw failed }
        do {
            try run(chunk, emit: emit)
        } catch let error as GzipError {
            failed = error
            throw error
        }
    }

    /// Decompresses `chunk` and returns its output (at most `limit` bytes in all).
    public func decompress(_ chunk: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        try chunk.withUnsafeBytes { buffer in
            try decompress(buffer) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Checks that the input ended on a member boundary.
    /// - Throws: `GzipError.corruptData` when the data stopped inside a member or there was none.
    public func finish() throws {
        if let failed { throw failed }
        if inMember || !sawMember {
            let error = GzipError.corruptData(sawMember || inMember ? "truncated gzip data" : "no gzip data")
            failed = error
            throw error
        }
    }

    /// Decompresses a complete gzip body.
    /// - Throws: `GzipError.corruptData` or `GzipError.sizeLimitExceeded`.
    public static func decompress(_ bytes: [UInt8], limit: Int) throws -> [UInt8] {
        let decoder = try GzipDecoder(limit: limit)
        let out = try decoder.decompress(bytes)
        try decoder.finish()
        return out
    }

    private func run(_ input: UnsafeRawBufferPointer, emit: ([UInt8]) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        var offset = 0
        while offset < input.count {
            if !inMember {
                if sawMember {
                    // A new member after a complete one: same settings, fresh state.
                    guard inflateReset(stream) == Z_OK else { throw GzipError.zlibFailure("inflateReset failed") }
                }
                inMember = true
                sawMember = true
            }
            let slice = min(input.count - offset, Int(UInt32.max / 2))
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: base.advanced(by: offset).assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = UInt32(slice)
            defer { stream.pointee.next_in = nil }
            inflating: while true {
                stream.pointee.next_out = scratch
                stream.pointee.avail_out = UInt32(GzipDecoder.pieceSize)
                let status = inflate(stream, Z_NO_FLUSH)
                let produced = GzipDecoder.pieceSize - Int(stream.pointee.avail_out)
                if produced > 0 {
                    guard produced <= limit - totalOut else { throw GzipError.sizeLimitExceeded(limit: limit) }
                    totalOut += produced
                    try emit(Array(UnsafeBufferPointer(start: scratch, count: produced)))
                }
                switch status {
                case Z_STREAM_END:
                    inMember = false
                    break inflating
                case Z_OK:
                    // Output space used up: there may be more. Otherwise all input is consumed.
                    if stream.pointee.avail_out == 0 { continue inflating }
                    if stream.pointee.avail_in == 0 { break inflating }
                case Z_BUF_ERROR:
                    // No progress possible: the input is used up mid-member; wait for more.
                    break inflating
                case Z_DATA_ERROR, Z_NEED_DICT:
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "invalid gzip data"
                    throw GzipError.corruptData(message)
                case Z_MEM_ERROR:
                    throw GzipError.zlibFailure("inflate ran out of memory")
                default:
                    throw GzipError.zlibFailure("inflate returned \(status)")
                }
            }
            offset += slice - Int(stream.pointee.avail_in)
        }
    }
}

@available(*, unavailable)
extension GzipDecoder: Sendable {}
