import HTTPTestSupport
import Testing

@testable import HTTPCore

@Suite("JSON writer")
struct JSONWriterTests {
    /// The byte-at-a-time rule the word-at-a-time scan must agree with.
    private static func needsEscapingSlowly(_ bytes: [UInt8]) -> Bool {
        bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }

    @Test("the eight-bytes-at-a-time scan finds every byte that needs escaping, at every offset")
    func scanAgreesWithTheRuleAtEveryOffset() {
        let special: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x1F, 0x22, 0x5C]
        let plain: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]
        for length in 0...19 {
            let base = (0..<length).map { plain[$0 % plain.count] }
            base.withUnsafeBytes { #expect(!JSONWriter.needsEscaping($0)) }
            for offset in 0..<length {
                for byte in special {
                    var bytes = base
                    bytes[offset] = byte
                    let found = bytes.withUnsafeBytes { JSONWriter.needsEscaping($0) }
                    #expect(found == Self.needsEscapingSlowly(bytes), "byte \(byte) at \(offset) of \(length)")
                }
            }
        }
    }

    @Test("random bytes: the scan and the rule agree")
    func scanAgreesWithTheRuleOnRandomBytes() {
        var generator = SeededGenerator(seed: 0x4A53_4F4E)
        for _ in 0..<2000 {
            let length = Int.random(in: 0...40, using: &generator)
            // Mostly printable bytes, so that both answers occur often.
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) && Int.random(in: 0..<8, using: &generator) == 0
                    ? UInt8.random(in: 0...0x5C, using: &generator) : UInt8.random(in: 0x23...0x5B, using: &generator)
            }
            let found = bytes.withUnsafeBytes { JSONWriter.needsEscaping($0) }
            #expect(found == Self.needsEscapingSlowly(bytes), "\(bytes)")
        }
    }

    @Test("strings are quoted with RFC 8259 escapes; keys are copied")
    func quotesAndEscapes() {
        var json = JSONWriter()
        json.beginObject()
        json.key("plain"); json.string("Hun Sen, Phnom Penh — Cambodia's Senate")
        json.key("escaped"); json.string("a \"quote\", a \\ and a\nline\u{01}")
        json.key("long_plain"); json.string(String(repeating: "0123456789", count: 5))
        json.key(escaping: "made \"here\""); json.int(1)
        json.endObject()
        let expected =
            #"{"plain":"Hun Sen, Phnom Penh — Cambodia's Senate","escaped":"a \"quote\", a \\ and a\nline\u0001","#
            + #""long_plain":"\#(String(repeating: "0123456789", count: 5))","made \"here\"":1}"#
        #expect(String(decoding: json.bytes, as: UTF8.self) == expected)
    }

    @Test("the plain-ASCII scan agrees with the byte-at-a-time rule at every length and offset")
    func plainASCIIScanAgreesWithTheRule() {
        let special: [UInt8] = [0x00, 0x1F, 0x22, 0x5C, 0x80, 0xC3, 0xFF]
        for length in 0...19 {
            let base = (0..<length).map { [0x20, 0x41, 0x7E, 0x5B, 0x23][$0 % 5] as UInt8 }
            base.withUnsafeBytes { #expect(JSONWriter.isPlainASCII($0)) }
            for offset in 0..<length {
                for byte in special {
                    var bytes = base
                    bytes[offset] = byte
                    bytes.withUnsafeBytes {
                        #expect(!JSONWriter.isPlainASCII($0), "byte \(byte) at \(offset) of \(length)")
                    }
                }
            }
        }
    }

    @Test("text given as bytes is written as the String made from them would be, invalid UTF-8 repaired")
    func bytesAreWrittenAsTheirString() {
        let samples: [[UInt8]] = [
            [], Array("plain".utf8), Array("a \"quote\" and a\ttab".utf8), Array("é😀 and more than eight".utf8),
            [0x61, 0xFF, 0x62], [0xC3], [0xE2, 0x82], Array("ok".utf8) + [0xED, 0xA0, 0x80],
        ]
        for sample in samples {
            var fromBytes = JSONWriter()
            sample.withUnsafeBufferPointer { fromBytes.string(utf8: $0) }
            var fromString = JSONWriter()
            fromString.string(String(decoding: sample, as: UTF8.self))
            #expect(fromBytes.bytes == fromString.bytes, "\(sample)")
        }
    }

    @Test("integers, literals and separators", arguments: [0, 7, -7, 1234567890, Int.max, Int.min])
    func integers(value: Int) {
        var json = JSONWriter()
        json.beginArray()
        json.int(value)
        json.bool(true)
        json.null()
        json.double(Double(2.5))
        json.endArray()
        #expect(String(decoding: json.bytes, as: UTF8.self) == "[\(value),true,null,2.5]")
    }

    @Test("a copy of a writer goes its own way, as a value does; a writer grows past its first room")
    func copiesAreIndependentAndWritersGrow() {
        var first = JSONWriter(reservingCapacity: 8)
        first.beginArray()
        first.string("shared")
        var second = first
        first.string("first only")
        second.int(2)
        let long = String(repeating: "x", count: 1000)
        second.string(long)
        first.endArray()
        second.endArray()
        #expect(String(decoding: first.bytes, as: UTF8.self) == #"["shared","first only"]"#)
        #expect(String(decoding: second.bytes, as: UTF8.self) == #"["shared",2,"\#(long)"]"#)
        #expect(second.count == second.bytes.count)
        second.removeAll()
        #expect(second.isEmpty)
        second.string("again")
        #expect(String(decoding: second.bytes, as: UTF8.self) == #""again""#)
    }
}
