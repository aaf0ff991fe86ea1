import Testing

@testable import HTTPCore

@Suite struct GzipTests {
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var out = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            var word = generator.next()
            for _ in 0..<8 where index < count {
                out[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return out
    }

    static func compressibleBytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + 100)
        var id = 0
        while out.count < count {
            out.append(
                contentsOf:
                    #"{"id":"meeting-\#(id)","country":"KH","title":"Bilateral talks","date":"2024-05-0\#(id % 9 + 1)"}"#
                    .utf8)
            out.append(0x0A)
            id += 1
        }
        return Array(out.prefix(count))
    }

    @Test(arguments: [0, 1, 100, 5_000_000])
    func roundTripRandom(count: Int) throws {
        let input = Self.randomBytes(count)
        let compressed = try GzipEncoder.compress(input)
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        #expect(try GzipDecoder.decompress(compressed, limit: count) == input)
    }

    @Test func roundTripCompressible() throws {
        let input = Self.compressibleBytes(5_000_000)
        let compressed = try GzipEncoder.compress(input)
        #expect(compressed.count < input.count / 10)
        #expect(try GzipDecoder.decompress(compressed, limit: input.count) == input)
    }

    @Test func emptyInputIsAValidMember() throws {
        let compressed = try GzipEncoder.compress([])
        #expect(compressed.count == 20)
        #expect(try GzipDecoder.decompress(compressed, limit: 0) == [])
    }

    @Test func streamingEqualsOneShot() throws {
        let input = Self.compressibleBytes(300_000)
        let encoder = try GzipEncoder()
        var streamed: [UInt8] = []
        var offset = 0
        var size = 1
        while offset < input.count {
            let end = min(offset + size, input.count)
            streamed += encoder.compress(Array(input[offset..<end]))
            offset = end
            size = size * 3 + 1
        }
        streamed += encoder.finish()
        #expect(streamed == (try GzipEncoder.compress(input)))
    }

    @Test func decoderAcceptsOneByteAtATime() throws {
        let input = Self.compressibleBytes(10_000)
        let compressed = try GzipEncoder.compress(input)
        let decoder = try GzipDecoder(limit: input.count)
        var out: [UInt8] = []
        for byte in compressed { out += try decoder.decompress([byte]) }
        try decoder.finish()
        #expect(out == input)
    }

    @Test func syncFlushMakesEverythingSoFarDecodable() throws {
        let encoder = try GzipEncoder()
        let part = encoder.compress(Array("hello, ".utf8)) + encoder.flush()
        let decoder = try GzipDecoder(limit: 100)
        #expect(try decoder.decompress(part) == Array("hello, ".utf8))
    }

    @Test func concatenatedMembersDecodeInOrder() throws {
        let joined = try GzipEncoder.compress(Array("one ".utf8)) + GzipEncoder.compress(Array("two".utf8))
        #expect(try GzipDecoder.decompress(joined, limit: 100) == Array("one two".utf8))
    }

    @Test func zipBombStopsAtTheLimitWithoutInflatingIt() throws {
        // 100 MB of zeros compresses to about 100 KB.
        let encoder = try GzipEncoder()
        let megabyte = [UInt8](repeating: 0, count: 1 << 20)
        var bomb: [UInt8] = []
        for _ in 0..<100 { bomb += encoder.compress(megabyte) }
        bomb += encoder.finish()
        #expect(bomb.count < 200_000)

        let limit = 10 << 20
        let decoder = try GzipDecoder(limit: limit)
        var largestPiece = 0
        #expect(throws: GzipError.sizeLimitExceeded) {
            try bomb.withUnsafeBytes { buffer in
                try decoder.decompress(buffer) { largestPiece = max(largestPiece, $0.count) }
            }
        }
        #expect(decoder.totalOut <= limit)
        #expect(largestPiece <= GzipDecoder.pieceSize)
    }

    @Test func limitIsInclusive() throws {
        let input = [UInt8](repeating: 7, count: 1000)
        let compressed = try GzipEncoder.compress(input)
        #expect(try GzipDecoder.decompress(compressed, limit: 1000) == input)
        #expect(throws: GzipError.sizeLimitExceeded) { try GzipDecoder.decompress(compressed, limit: 999) }
    }

    @Test func corruptDataIsRejected() throws {
        var compressed = try GzipEncoder.compress(Self.compressibleBytes(10_000))
        compressed[compressed.count / 2] ^= 0xFF
        #expect(throws: GzipError.corruptData) { try GzipDecoder.decompress(compressed, limit: 1 << 20) }
    }

    @Test func badChecksumIsRejected() throws {
        var compressed = try GzipEncoder.compress(Array("checksummed".utf8))
        compressed[compressed.count - 6] ^= 0x01  // inside the CRC-32 of the trailer
        #expect(throws: GzipError.corruptData) { try GzipDecoder.decompress(compressed, limit: 100) }
    }

    // The last one is a zlib-wrapped (deflate coding) empty stream, not gzip.
    @Test(arguments: [[UInt8](), Array("plain text".utf8), [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]])
    func nonGzipIsRejected(input: [UInt8]) {
        #expect(throws: GzipError.corruptData) { try GzipDecoder.decompress(input, limit: 100) }
    }

    @Test func truncatedDataIsRejected() throws {
        let compressed = try GzipEncoder.compress(Self.compressibleBytes(10_000))
        #expect(throws: GzipError.corruptData) {
            try GzipDecoder.decompress(Array(compressed.dropLast(4)), limit: 1 << 20)
        }
    }

    @Test func trailingGarbageIsRejected() throws {
        let compressed = try GzipEncoder.compress(Array("data".utf8)) + [0x00, 0x00]
        #expect(throws: GzipError.corruptData) { try GzipDecoder.decompress(compressed, limit: 100) }
    }
}
