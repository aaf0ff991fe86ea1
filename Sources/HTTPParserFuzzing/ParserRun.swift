import HTTPCore

/// What one parser made of a byte string: the requests it produced, in order, and how it stopped.
/// Building one checks the invariants that hold for every event (`ParserRun.feed`).
struct ParserRun: Equatable {
    /// A request as it came out of the parser: its head, and its body de-framed.
    struct Parsed: Equatable {
        var method: String
        var target: String
        var version: HTTPVersion
        var headers: [Field]
        var framing: RequestHead.Framing
        var expectsContinue: Bool
        var streamedBodyLimit: Int?
        var body: [UInt8] = []
        /// `.end` was seen.
        var isComplete = false

        init(_ head: RequestHead) {
            method = head.method.rawValue
            target = head.target
            version = head.version
            headers = head.headers.map { Field(name: $0.name, value: $0.value) }
            framing = head.framing
            expectsContinue = head.expectsContinue
            streamedBodyLimit = head.streamedBodyLimit
        }
    }

    struct Field: Equatable {
        var name: String
        var value: String
    }

    var requests: [Parsed] = []
    /// The status of the parse error, if parsing failed.
    var errorStatus: Int?
    /// `isIdle` once every byte was fed (and no error).
    var isIdle = false

    /// Feeds `pieces` one after the other, pulling every event after each, and checks on the way:
    /// the parser never holds more bytes than it was given, an event consumes at least its body
    /// bytes, a body never outgrows its framing or limit, and after an error it stays failed.
    static func feed(_ pieces: [ArraySlice<UInt8>], configuration: FuzzConfiguration) -> ParserRun {
        var parser = configuration.makeParser()
        var run = ParserRun()
        var given = 0
        for piece in pieces {
            parser.append(Array(piece))
            given += piece.count
            invariant(parser.bufferedByteCount <= given, "holds more bytes than it was given")
            while true {
                let before = parser.bufferedByteCount
                let event: ParseEvent?
                do {
                    event = try parser.next()
                } catch {
                    run.errorStatus = error.status.code
                    checkStaysFailed(&parser, error)
                    return run
                }
                let after = parser.bufferedByteCount
                invariant(after >= 0 && after <= before, "buffered bytes went from \(before) to \(after)")
                guard let event else { break }
                run.record(event, consumed: before - after, configuration: configuration)
            }
        }
        run.isIdle = parser.isIdle
        return run
    }

    private mutating func record(_ event: ParseEvent, consumed: Int, configuration: FuzzConfiguration) {
        switch event {
        case .head(let head):
            invariant(requests.last?.isComplete ?? true, "a head before the previous request's end")
            let limit = head.streamedBodyLimit ?? configuration.limits.maxBodyBytes
            switch head.framing {
            case .length(let length): invariant(length > 0 && length <= limit, "Content-Length \(length) passed")
            case .none, .chunked: break
            }
            requests.append(Parsed(head))
        case .body(let slice):
            invariant(!slice.isEmpty, "an empty body event")
            invariant(consumed >= slice.count, "a body event of \(slice.count) bytes consumed \(consumed)")
            guard let index = requests.indices.last, !requests[index].isComplete else {
                return invariant(false, "body bytes outside a request")
            }
            invariant(requests[index].framing != .none, "body bytes for a request without a body")
            requests[index].body.append(contentsOf: slice)
            let limit = requests[index].streamedBodyLimit ?? configuration.limits.maxBodyBytes
            invariant(requests[index].body.count <= limit, "a body beyond its limit of \(limit)")
            if case .length(let length) = requests[index].framing {
                invariant(requests[index].body.count <= length, "a body beyond its Content-Length")
            }
        case .end:
            guard let index = requests.indices.last, !requests[index].isComplete else {
                return invariant(false, "an end outside a request")
            }
            if case .length(let length) = requests[index].framing {
                invariant(requests[index].body.count == length, "a body shorter than its Content-Length")
            }
            requests[index].isComplete = true
        }
    }

    /// "After the first error it stays failed": the same error again, with or without more bytes.
    private static func checkStaysFailed(_ parser: inout HTTPParser, _ first: ParseError) {
        for more in [[], Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)] {
            parser.append(more)
            do {
                let event = try parser.next()
                invariant(false, "an event after an error: \(String(describing: event))")
            } catch {
                invariant(error == first, "\(error) after \(first)")
            }
        }
    }
}

/// Stops the fuzzer on a broken invariant: the crash is the finding, the input is saved with it.
func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("HTTPParser invariant: \(message())") }
}
