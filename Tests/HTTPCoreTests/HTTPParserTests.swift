import HTTPCore
import Testing

@Suite("HTTPParser: bytes in, requests or ParseError out")
struct HTTPParserTests {
    @Test("valid requests parse", arguments: ParserVector.valid)
    func validVector(_ vector: ParserVector) throws {
        guard case .requests(let expected) = vector.expectation else { return }
        let outcome = ParseOutcome.parse(vector.bytes)
        #expect(outcome.errorStatus == nil, "\(outcome)")
        #expect(outcome.requests == expected)
        #expect(!outcome.incomplete)
    }

    @Test("invalid requests fail with their status", arguments: ParserVector.invalid)
    func invalidVector(_ vector: ParserVector) throws {
        guard case .failure(let status, let after) = vector.expectation else { return }
        let outcome = ParseOutcome.parse(vector.bytes)
        #expect(outcome.errorStatus == status, "\(outcome)")
        #expect(outcome.requests.count == after)
    }

    /// RFC 9112 is a byte stream: where TCP happens to cut it must never change the result.
    @Test("the same outcome whatever byte the input is split at", arguments: ParserVector.valid + ParserVector.invalid)
    func everySplit(_ vector: ParserVector) {
        let bytes = vector.bytes
        let whole = ParseOutcome.parse(bytes)
        for cut in 0...bytes.count {
            let split = ParseOutcome.parse([bytes[..<cut], bytes[cut...]])
            #expect(split == whole, "split at byte \(cut)")
            if split != whole { return }
        }
        let byteByByte = ParseOutcome.parse(bytes.indices.map { bytes[$0...$0] })
        #expect(byteByByte == whole, "fed one byte at a time")
    }

    @Test("head: framing, Expect and trimmed field values")
    func headDetails() throws {
        let outcome = ParseOutcome.parse(
            Array(
                ("POST /b HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\nX-A: \t v w \t\r\n\r\nok"
                    + "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                    + "POST /d HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx"
                    + "GET /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n").utf8))
        try #require(outcome.heads.count == 4, "\(outcome)")
        let (withLength, chunked, http10, noBody) = (
            outcome.heads[0], outcome.heads[1], outcome.heads[2], outcome.heads[3]
        )
        #expect(withLength.framing == .length(2))
        #expect(withLength.expectsContinue)
        #expect(withLength.headers["x-a"] == "v w")
        #expect(withLength.headers.count == 4)
        #expect(chunked.framing == .chunked)
        #expect(!chunked.expectsContinue)
        // RFC 9110 §10.1.1: a server MUST NOT send 100 to an HTTP/1.0 client; nor is there a body to wait for.
        #expect(!http10.expectsContinue)
        #expect(!noBody.expectsContinue)
        #expect(noBody.framing == .none)
    }

    /// Request smuggling: once framing is in doubt, nothing after it may become a request.
    @Test("a failed parser stays failed and never yields the bytes after the error")
    func staysFailed() {
        var parser = HTTPParser(limits: ParserVector.limits)
        parser.append(
            Array(
                ("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n").utf8))
        #expect(throws: ParseError.self) { try parser.next() }
        parser.append(Array("GET /later HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        for _ in 0..<3 {
            do {
                let event = try parser.next()
                Issue.record("a failed parser produced \(String(describing: event))")
            } catch {
                #expect(error.status.code == 400)
            }
        }
    }

    @Test("state between, inside the head of, and inside the body of a request")
    func progressState() throws {
        var parser = HTTPParser(limits: ParserVector.limits)
        #expect(parser.isIdle)
        parser.append(Array("POST /a HTTP/1.1\r\nHost: a\r\n".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.isReadingHead && !parser.isIdle)
        parser.append(Array("Content-Length: 4\r\n\r\nab".utf8))
        guard case .head = try parser.next() else {
            Issue.record("expected the head")
            return
        }
        #expect(try parser.next() == .body([0x61, 0x62]))
        #expect(try parser.next() == nil)
        #expect(parser.isReadingBody)
        parser.append(Array("cdGET /b HTTP/1.1\r\n".utf8))
        #expect(try parser.next() == .body([0x63, 0x64]))
        #expect(try parser.next() == .end)
        #expect(try parser.next() == nil)
        // The request line is consumed; the parser waits for the header section.
        #expect(parser.isReadingHead)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test("a body larger than one read arrives in pieces and in order")
    func largeBody() {
        let body = (0..<30).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        let bytes = Array("PUT /big HTTP/1.1\r\nHost: a\r\nContent-Length: 30\r\n\r\n".utf8) + body
        let pieces = stride(from: 0, to: bytes.count, by: 7).map { bytes[$0..<min($0 + 7, bytes.count)] }
        let outcome = ParseOutcome.parse(pieces)
        #expect(
            outcome.requests == [
                ParserVector.Summary(method: "PUT", target: "/big", body: String(decoding: body, as: UTF8.self))
            ])
    }

    @Test("many pipelined requests come out one after the other")
    func manyPipelined() {
        let bytes = Array((0..<200).map { "GET /\($0) HTTP/1.1\r\nHost: a\r\n\r\n" }.joined().utf8)
        let outcome = ParseOutcome.parse(bytes)
        #expect(outcome.requests.map(\.target) == (0..<200).map { "/\($0)" })
        #expect(!outcome.incomplete)
    }

    /// "Header values of rejected requests are echoed into the problem detail and the log": a
    /// detail names the field, never the client's value (which may be 32 KiB of anything).
    @Test(
        "an error detail never echoes what the client sent",
        arguments: [
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: x-secret\r\n\r\n",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: secret, chunked\r\n\r\n",
            "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 1secret\r\n\r\n",
            "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 01\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nExpect: secret\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: secret/x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX-A: secret\u{1}\r\n\r\n",
            "SECRET / HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: secret\r\nAuthorization: secret\r\n\r\n",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;secret=\u{1}\r\n",
        ])
    func detailsDoNotEcho(_ raw: String) {
        var parser = HTTPParser(limits: ParserVector.limits)
        parser.append(Array(raw.utf8))
        do {
            while try parser.next() != nil {}
            Issue.record("no error")
        } catch {
            #expect(!error.detail.lowercased().contains("secret"), "\(error.detail)")
            #expect(!error.problem.jsonBytes().contains(0x01))
        }
    }
}
