import HTTPCore
import Testing

/// One request byte string and what parsing it must give. The table is shared by the parser
/// tests (bytes in, events out) and the socket tests (bytes over a real connection).
struct ParserVector: Sendable, CustomTestStringConvertible {
    /// A request as the vector expects it to come out of the parser.
    struct Summary: Equatable, Sendable, CustomStringConvertible {
        var method: String
        var target: String
        var version: HTTPVersion = .http1_1
        var body: String = ""

        var description: String { "\(method) \(target) \(version) body=\(body.debugDescription)" }
    }

    enum Expectation: Sendable {
        /// Every request parses, in order, and nothing is left over.
        case requests([Summary])
        /// `after` requests parse, then the parser fails with `status`.
        case failure(status: Int, after: Int)
    }

    var name: String
    var bytes: [UInt8]
    var expectation: Expectation

    var testDescription: String { name }

    static func valid(_ name: String, _ raw: String, _ requests: Summary...) -> ParserVector {
        ParserVector(name: name, bytes: Array(raw.utf8), expectation: .requests(requests))
    }

    static func invalid(_ name: String, _ raw: String, status: Int, after: Int = 0) -> ParserVector {
        ParserVector(name: name, bytes: Array(raw.utf8), expectation: .failure(status: status, after: after))
    }

    static func invalid(_ name: String, bytes: [UInt8], status: Int) -> ParserVector {
        ParserVector(name: name, bytes: bytes, expectation: .failure(status: status, after: 0))
    }

    /// Limits small enough that every limit vector stays short. The socket tests configure the
    /// server with the same ones.
    static let limits = ParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 256, maxHeaderCount: 8, maxBodyBytes: 32)
}

/// What feeding bytes to a parser produced.
struct ParseOutcome: Equatable, CustomStringConvertible {
    var requests: [ParserVector.Summary] = []
    var heads: [RequestHead] = []
    /// The status of the parse error, if parsing failed.
    var errorStatus: Int?
    /// A request was begun but not finished when the bytes ran out.
    var incomplete = false

    static func == (lhs: ParseOutcome, rhs: ParseOutcome) -> Bool {
        lhs.requests == rhs.requests && lhs.errorStatus == rhs.errorStatus && lhs.incomplete == rhs.incomplete
    }

    var description: String {
        "requests: \(requests), error: \(errorStatus.map(String.init) ?? "none"), incomplete: \(incomplete)"
    }

    /// Feeds `pieces` one after the other, pulling every event after each.
    static func parse(_ pieces: [ArraySlice<UInt8>], limits: ParserLimits = ParserVector.limits) -> ParseOutcome {
        var parser = HTTPParser(limits: limits)
        var outcome = ParseOutcome()
        var head: RequestHead?
        var body: [UInt8] = []
        for piece in pieces {
            parser.append(Array(piece))
            while true {
                let event: ParseEvent?
                do {
                    event = try parser.next()
                } catch {
                    outcome.errorStatus = error.status.code
                    return outcome
                }
                guard let event else { break }
                switch event {
                case .head(let newHead):
                    head = newHead
                    outcome.heads.append(newHead)
                    body = []
                case .body(let slice):
                    body.append(contentsOf: slice)
                case .end:
                    if let head {
                        outcome.requests.append(
                            ParserVector.Summary(
                                method: head.method.rawValue, target: head.target, version: head.version,
                                body: String(decoding: body, as: UTF8.self)))
                    }
                    head = nil
                }
            }
        }
        outcome.incomplete = !parser.isIdle
        return outcome
    }

    static func parse(_ bytes: [UInt8], limits: ParserLimits = ParserVector.limits) -> ParseOutcome {
        parse([bytes[...]], limits: limits)
    }
}
