import HTTPCore
import HTTPTestSupport
import Testing

@Suite("Invalid bytes never crash the server")
struct RandomBytesTests {
    enum Kind: String, CaseIterable {
        /// Uniformly random bytes.
        case noise
        /// Random sequences of HTTP-ish tokens: close enough to a request to reach deep parser states.
        case tokens
        /// A valid request with a few bytes replaced, inserted or deleted (may still be valid).
        case mutation
    }

    struct Payload {
        var index: Int
        var kind: Kind
        var bytes: [UInt8]
    }

    static let tokens: [String] = [
        "GET", "POST", "HEAD", " ", " ", "/", "/echo", "*", "http://h/", "?", "%", "%zz", "HTTP/1.1", "HTTP/1.0",
        "\r\n", "\r\n",
        "\r\n\r\n", "\r", "\n", "\0", "\t", ":", ": ", "Host", "Host: a", "Content-Length", "Content-Length: 5", "-1",
        "Transfer-Encoding", "Transfer-Encoding: chunked", "chunked", "0", "5", "ffffffffffffffffff", ";ext=1",
        "Expect: 100-continue",
        "Connection: close", "\u{7F}", "é", "\"",
    ]

    static func payloads(count: Int, seed: UInt64) -> [Payload] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            let kind = Kind.allCases[index % Kind.allCases.count]
            var bytes: [UInt8]
            switch kind {
            case .noise:
                bytes = (0..<Int.random(in: 1...400, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
            case .tokens:
                bytes = (0..<Int.random(in: 1...40, using: &generator)).flatMap { _ in
                    Array((tokens.randomElement(using: &generator) ?? " ").utf8)
                }
            case .mutation:
                bytes = ParserVector.valid.randomElement(using: &generator)?.bytes ?? []
                for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                    let position = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
                    case 1: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: position)
                    default: bytes.remove(at: position)
                    }
                }
            }
            return Payload(index: index, kind: kind, bytes: bytes)
        }
    }

    /// What one connection ended with: a status, or a close without a byte.
    enum Outcome: Equatable {
        case status(Int)
        case closed
    }

    @Test("300 seeded garbage payloads: each gets a rejection or a close, and the server still serves")
    func garbage() throws {
        let counter = Counter()
        let configuration = ServerConfiguration.test(
            maxConnections: 1000, limits: ParserVector.limits,
            headerTimeout: .milliseconds(250), bodyTimeout: .milliseconds(250))
        try withTestServer(configuration: configuration, responder: TestRoutes.make(counter: counter)) { server in
            let payloads = Self.payloads(count: 300, seed: 0xB11A_7E4A)
            var outcomes: [(Payload, Outcome)] = []
            for batch in stride(from: 0, to: payloads.count, by: 100) {
                let slice = payloads[batch..<min(batch + 100, payloads.count)]
                let clients = try slice.map { payload in
                    let client = try RawClient.connect(port: server.port)
                    do {
                        try client.send(payload.bytes)
                    } catch let error as RawClientError where error.isBrokenConnection {
                        // The server may reject and close before the whole payload is written.
                    }
                    return client
                }
                for (payload, client) in zip(slice, clients) {
                    do {
                        outcomes.append((payload, .status(try client.readResponse().status)))
                    } catch RawClientError.closedByPeer(let received) where received.isEmpty {
                        outcomes.append((payload, .closed))
                    } catch {
                        Issue.record(
                            "payload \(payload.index) (\(payload.kind)) \(payload.bytes.debugDescription): \(error)")
                    }
                    client.close()
                }
            }
            for (payload, outcome) in outcomes {
                let acceptable: Bool
                switch (payload.kind, outcome) {
                case (_, .closed): acceptable = true
                case (.noise, .status(let status)): acceptable = (400..<500).contains(status)
                // A well-formed line with an unknown method or version is answered 501 or 505.
                case (.tokens, .status(let status)):
                    acceptable = (400..<500).contains(status) || status == 501 || status == 505
                case (.mutation, .status(let status)): acceptable = (100..<600).contains(status)
                }
                #expect(
                    acceptable,
                    "payload \(payload.index) (\(payload.kind)) got \(outcome): \(payload.bytes.debugDescription)")
            }
            #expect(outcomes.count == payloads.count)
            #expect(counter.count == 0)
            try RawClient.connect(port: server.port).expectUsable()
        }
    }
}
