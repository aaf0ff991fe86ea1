import Testing

@testable import HTTPCore

/// The connection's decisions, driven event by event with the time passed in: keep-alive,
/// pipelining, half-close, 100-continue, admission, stream backpressure and every timeout, with
/// no socket and no sleeping.
@Suite("Connection state machine: events in, actions out, time injected")
struct ConnectionStateMachineTests {
    static let second: UInt64 = 1_000_000_000

    /// A machine with the production timeouts (header 10 s, body 30 s, idle 75 s, write 30 s,
    /// linger 2 s) and a small high-water mark.
    static func machine(configure: (inout ServerConfiguration) -> Void = { _ in }) -> ConnectionStateMachine {
        var server = ServerConfiguration()
        server.outboundHighWaterBytes = 1024
        configure(&server)
        return ConnectionStateMachine(
            configuration: ConnectionConfiguration(server), peer: "127.0.0.1:5000", now: 0,
            makeRequestID: { "req-1" },
            makeIncomingBody: { limit in
                IncomingBody(limit: limit, highWater: 1024, onFirstRead: {}, onDrained: {})
            })
    }

    @Test("keep-alive: a response keeps the connection, and the next request is taken")
    func keepAlive() {
        var machine = Self.machine()
        machine.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n", at: 1)
        #expect(machine.take() == ["dispatch GET /a"])
        machine.deliver(.text("a"), now: 2)
        let sent = machine.take()
        #expect(sent.count == 1 && sent[0].hasPrefix("send HTTP/1.1 200 OK"))
        #expect(!sent[0].contains("Connection: close"))
        machine.wrote(machine.pendingOutput, now: 2)
        machine.receive("GET /b HTTP/1.1\r\nHost: h\r\n\r\n", at: 3)
        #expect(machine.take() == ["dispatch GET /b"])
    }

    @Test("pipelining: one request at a time, answered in order")
    func pipelining() {
        var machine = Self.machine()
        machine.receive("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n", at: 1)
        #expect(machine.take() == ["dispatch GET /1"], "the second waits for the first's answer")
        machine.deliver(.text("one"), now: 2)
        let actions = machine.take()
        #expect(actions.count == 2)
        #expect(actions.first?.hasSuffix("one") == true)
        #expect(actions.last == "dispatch GET /2")
    }

    @Test("half-close: requests sent before EOF are answered, then the connection closes in stages")
    func halfClose() {
        var machine = Self.machine()
        machine.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n", at: 1)
        machine.peerClosed(now: 1)
        #expect(machine.take() == ["dispatch GET /a", "suspend"])
        machine.deliver(.text("a"), now: 2)
        let sent = machine.take()
        #expect(sent.first?.contains("Connection: close") == true)
        machine.wrote(machine.pendingOutput, now: 2)
        #expect(machine.take() == ["shutdown", "resume"])
        machine.peerClosed(now: 3)
        #expect(machine.take() == ["close"])
    }

    @Test("100-continue: sent once the body is admitted and has not begun to arrive")
    func continueAfterAdmission() {
        var machine = Self.machine()
        machine.receive("POST /p HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n", at: 1)
        #expect(machine.take() == ["suspend", "admit POST /p"], "no body byte is read before admission")
        machine.admitted(.accept, now: 1)
        #expect(machine.take() == ["send HTTP/1.1 100 Continue\r\n\r\n", "resume"])
        machine.receive("ok", at: 2)
        #expect(machine.take() == ["dispatch POST /p ok"])
    }

    @Test("a refused request gets no 100 Continue, its body is never read, and the connection closes")
    func refusedExpectingContinue() {
        var machine = Self.machine()
        machine.receive("POST /p HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n", at: 1)
        _ = machine.take()
        machine.admitted(.refuse(HTTPError(.unauthorized, detail: "no key")), now: 1)
        #expect(machine.take() == ["dispatch POST /p refused 401"])
        machine.deliver(HTTPError(.unauthorized, detail: "no key").problem.response(), now: 2)
        let sent = machine.take()
        #expect(sent.first?.contains("401 Unauthorized") == true)
        #expect(sent.first?.contains("Connection: close") == true)
        #expect(!sent.contains { $0.contains("100 Continue") })
    }

    @Test("a refused small body is read and dropped, and the next request on the connection is served")
    func refusedSmallBodyDiscarded() {
        var machine = Self.machine()
        machine.receive("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234", at: 1)
        #expect(machine.take() == ["suspend", "admit POST /p"], "no body byte is read before admission")
        machine.admitted(.refuse(HTTPError(.notFound, detail: "none")), now: 1)
        #expect(machine.take() == ["dispatch POST /p refused 404"])
        machine.deliver(HTTPError(.notFound, detail: "none").problem.response(), now: 2)
        #expect(machine.take().first?.contains("Connection: close") == false)
        machine.wrote(machine.pendingOutput, now: 2)
        machine.receive("56789GET /next HTTP/1.1\r\nHost: h\r\n\r\n", at: 3)
        #expect(machine.take() == ["dispatch GET /next"], "the refused body never reached a handler")
    }

    @Test("a refused large body is not read: the answer closes the connection")
    func refusedLargeBodyCloses() {
        var machine = Self.machine()
        machine.receive("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 10000000\r\n\r\n", at: 1)
        _ = machine.take()
        machine.admitted(.refuse(HTTPError(.unauthorized, detail: "no key")), now: 1)
        _ = machine.take()
        machine.deliver(HTTPError(.unauthorized, detail: "no key").problem.response(), now: 2)
        #expect(machine.take().first?.contains("Connection: close") == true)
        machine.wrote(machine.pendingOutput, now: 2)
        #expect(machine.take() == ["shutdown", "resume"], "reading resumes only to discard, in the linger")
        #expect(machine.phase == .lingering(deadline: 2 + 2 * Self.second))
    }

    @Test("a check runs before the body is read, unless the whole body came with the head")
    func checkOnlyWhenItSavesSomething() {
        var waiting = Self.machine()
        waiting.receive("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n", at: 1)
        _ = waiting.take()
        waiting.admitted(.check({ nil }), now: 1)
        #expect(waiting.take() == ["check"], "reading stays paused while the check runs")
        waiting.checked(nil, now: 2)
        waiting.receive("hello", at: 3)
        #expect(waiting.take() == ["resume", "dispatch POST /p hello"])

        var arrived = Self.machine()
        arrived.receive("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", at: 1)
        _ = arrived.take()
        arrived.admitted(.check({ nil }), now: 1)
        #expect(arrived.take() == ["dispatch POST /p hello", "resume"])
    }

    @Test("stream backpressure: the producer's credit comes back only as the client reads")
    func streamBackpressure() throws {
        var machine = Self.machine()
        machine.receive("GET /export HTTP/1.1\r\nHost: h\r\n\r\n", at: 1)
        _ = machine.take()
        machine.deliver(Response(body: .stream { _ in }), now: 1)
        let actions = machine.take()
        #expect(actions.last == "produce")
        let credit = try #require(machine.stream)
        machine.wrote(machine.pendingOutput, now: 1)
        try credit.acquire(2000)
        machine.streamed([UInt8](repeating: 0x61, count: 2000), now: 2)
        #expect(credit.pendingBytes == 2000, "over the high-water mark: the next acquire waits")
        machine.wrote(1500, now: 3)
        #expect(credit.pendingBytes == 500)
        machine.wrote(500, now: 4)
        #expect(credit.pendingBytes == 0)
        machine.streamFinished(now: 5)
        #expect(machine.take().last == "send 0\r\n\r\n")
    }

    @Test("write timeout: a client that stops reading a stream is closed, and its producer stopped")
    func streamWriteTimeout() throws {
        var machine = Self.machine()
        machine.receive("GET /export HTTP/1.1\r\nHost: h\r\n\r\n", at: 0)
        _ = machine.take()
        machine.deliver(Response(body: .stream { _ in }), now: 0)
        let credit = try #require(machine.stream)
        machine.streamed([UInt8](repeating: 0x61, count: 4000), now: 1)
        _ = machine.take()
        machine.timerFired(now: 30 * Self.second)
        #expect(machine.take().isEmpty, "30 s without progress is not yet over 30 s")
        machine.timerFired(now: 31 * Self.second + 1)
        #expect(machine.take() == ["close"])
        #expect(throws: BodyWriterError.self) { try credit.acquire(1) }
    }

    @Test("header timeout: a head not complete 10 s after its first byte gets 408, then a close")
    func headerTimeout() {
        var machine = Self.machine()
        machine.receive("GET /a HTTP/1.1\r\nHo", at: 5 * Self.second)
        machine.timerFired(now: 15 * Self.second)
        #expect(machine.take().isEmpty)
        machine.receive("st: h\r\nX: 1\r\n", at: 15 * Self.second)
        machine.timerFired(now: 15 * Self.second + 1)
        let actions = machine.take()
        #expect(actions.first == "report 408")
        #expect(actions.dropFirst().first?.contains("408 Request Timeout") == true)
    }

    @Test("trickling a line a second does not extend the header deadline")
    func trickle() {
        var machine = Self.machine()
        machine.receive("GET /a HTTP/1.1\r\n", at: 0)
        var actions: [String] = []
        for second in 1...11 {
            machine.timerFired(now: UInt64(second) * Self.second)
            actions += machine.take()
            if !actions.isEmpty { break }
            machine.receive("X-Padding: a\r\n", at: UInt64(second) * Self.second)
        }
        #expect(actions.first == "report 408", "the deadline runs from the first byte, not the last")
    }

    @Test("a silent new connection closes after the header timeout, an idle keep-alive one after the idle timeout")
    func silentAndIdle() {
        var silent = Self.machine()
        silent.timerFired(now: 10 * Self.second)
        #expect(silent.take().isEmpty)
        silent.timerFired(now: 10 * Self.second + 1)
        #expect(silent.take() == ["close"])

        var idle = Self.machine()
        idle.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n", at: 0)
        idle.deliver(.text("a"), now: 0)
        idle.wrote(idle.pendingOutput, now: 0)
        _ = idle.take()
        idle.timerFired(now: 75 * Self.second)
        #expect(idle.take().isEmpty)
        idle.timerFired(now: 75 * Self.second + 1)
        #expect(idle.take() == ["close"])
    }

    @Test("body timeout: a body that stops arriving for 30 s gets 408")
    func bodyTimeout() {
        var machine = Self.machine()
        machine.receive("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n", at: 0)
        machine.admitted(.accept, now: 0)
        machine.receive("01234", at: Self.second)
        _ = machine.take()
        machine.timerFired(now: 31 * Self.second)
        #expect(machine.take().isEmpty)
        machine.timerFired(now: 31 * Self.second + 1)
        #expect(machine.take().first == "report 408")
    }

    @Test("linger: a closing connection that the client never closes is released at the deadline")
    func lingerDeadline() {
        var machine = Self.machine()
        machine.receive("GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", at: 0)
        machine.deliver(.text("a"), now: 0)
        machine.wrote(machine.pendingOutput, now: 1)
        _ = machine.take()
        machine.timerFired(now: 1 + 2 * Self.second - 1)
        #expect(machine.take().isEmpty)
        machine.timerFired(now: 1 + 2 * Self.second)
        #expect(machine.take() == ["close"])
    }

    @Test("shutdown drain: an idle connection closes at once, a busy one after its response")
    func drain() {
        var idle = Self.machine()
        idle.beginDraining(now: 0)
        #expect(idle.take() == ["close"])

        var busy = Self.machine()
        busy.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n", at: 0)
        _ = busy.take()
        busy.beginDraining(now: 1)
        #expect(busy.take().isEmpty)
        busy.deliver(.text("a"), now: 2)
        #expect(busy.take().first?.contains("Connection: close") == true)
    }

    @Test("a failed socket drops every decision not yet carried out")
    func failureDropsPendingActions() {
        var machine = Self.machine()
        machine.receive("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n", at: 1)
        _ = machine.take()
        machine.deliver(.text("one"), now: 2)
        machine.socketFailed()
        #expect(machine.take() == ["close"])
    }
}

extension ConnectionStateMachine {
    mutating func receive(_ text: String, at now: UInt64) {
        Array(text.utf8).withUnsafeBytes { received($0, now: now) }
    }

    /// The actions so far, each as a line a test can compare.
    mutating func take() -> [String] {
        var lines: [String] = []
        while let action = nextAction() {
            switch action {
            case .send(let bytes): lines.append("send " + String(decoding: bytes, as: UTF8.self))
            case .admit(let request): lines.append("admit \(request.method) \(request.target)")
            case .check: lines.append("check")
            case .dispatch(let request):
                var line = "dispatch \(request.method) \(request.target)"
                if !request.body.isEmpty { line += " " + String(decoding: request.body, as: UTF8.self) }
                if let refusal = request.refusal { line += " refused \(refusal.problem.status.code)" }
                lines.append(line)
            case .produce: lines.append("produce")
            case .push: lines.append("push")
            case .suspendReading: lines.append("suspend")
            case .resumeReading: lines.append("resume")
            case .shutdownWrite: lines.append("shutdown")
            case .close: lines.append("close")
            case .report(let event): lines.append("report \(event.status.code)")
            }
        }
        return lines
    }
}
