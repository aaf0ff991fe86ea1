import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// One client connection: reads and parses requests, hands each to the worker pool, writes the
/// responses in order, and enforces the timeouts. Confined to its loop's serial queue.
///
/// One request is processed at a time; pipelined requests wait, parsed later, in the input
/// buffer, so responses go out in request order without bookkeeping, and the buffer is capped
/// (reading pauses) so a flood of pipelined requests cannot grow memory.
final class Connection {
    private enum Phase {
        /// Reading a request (or idle between requests).
        case reading
        /// A handler is running or its response is being produced.
        case processing
        /// The last response is queued; close once it is written.
        case closing
        /// Write side shut; reading and discarding until EOF or the linger deadline.
        case lingering(deadline: UInt64)
        case closed
    }

    let fd: Int32
    let peer: String
    /// Strong: the loop's read buffer must outlive every connection that reads into it, even one
    /// that outlasts a shutdown's grace period. `IOLoop.remove` breaks the cycle when it closes.
    private let loop: IOLoop
    private let context: ServerContext
    private var parser: HTTPParser
    private var phase = Phase.reading
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var readSuspended = false
    private var writeSourceRunning = false
    private var sourcesToCancel = 0

    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var lastWriteProgress: UInt64 = 0

    private var head: RequestHead?
    private var body: [UInt8] = []
    private var headStartedAt: UInt64 = 0
    private var lastReadProgress: UInt64 = 0
    private var idleSince: UInt64
    private var requestsServed = 0
    private var lingerDiscarded = 0

    /// What the response in progress needs to know of its request.
    private var responseKeepsAlive = true
    private var responseIsHEAD = false
    private var responseIsHTTP10 = false
    private var closeAfterResponse = false
    /// The peer shut its write side while a request was in progress: answer what it sent, then close.
    private var inputEnded = false
    private var draining = false
    private var stream: StreamCredit?
    private var streamBytesOutstanding = 0
    private var streamCloseDelimited = false
    /// The body of the request in progress, while it arrives for a handler that streams it.
    private var incoming: IncomingBody?
    /// The handler has not yet read what `incoming` holds: parsing waits for it.
    private var incomingPaused = false
    /// `100 Continue` is owed once the streaming handler first reads the body.
    private var continueOwed = false

    /// Bytes of unparsed input beyond which reading pauses until the current request is done.
    private var inputCap: Int {
        context.configuration.limits.maxHeaderBytes + context.configuration.limits.maxRequestLineBytes + 65536
    }

    init(fd: Int32, peer: String, loop: IOLoop, context: ServerContext) {
        self.fd = fd
        self.peer = peer
        self.loop = loop
        self.context = context
        self.parser = HTTPParser(limits: context.configuration.limits)
        let responder = context.responder
        parser.streamedBodyLimit = { method, path in responder.streamedBodyLimit(method: method, path: path) }
        self.idleSince = MonotonicClock.now()
    }

    private var bound: LoopBound<Connection> { LoopBound(self, queue: loop.queue) }

    func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: loop.queue)
        let bound = self.bound
        source.setEventHandler { bound.unsafeValue().onReadable() }
        source.setCancelHandler { bound.unsafeValue().sourceCancelled() }
        readSource = source
        sourcesToCancel += 1
        source.resume()
    }

    // MARK: Reading

    private func onReadable() {
        let scratch = loop.scratch
        var total = 0
        while true {
            switch phase {
            case .closed: return
            default: break
            }
            switch SocketIO.read(fd, into: scratch) {
            case .done(let count):
                total += count
                received(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                // A short read means the socket is drained; the source fires again if more comes.
                if count < scratch.count || total >= 1 << 20 { return }
                if case .closed = phase { return }
                if readSuspended { return }
            case .wouldBlock:
                return
            case .closed:
                peerClosed()
                return
            case .failed:
                finalClose()
                return
            }
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        let now = MonotonicClock.now()
        switch phase {
        case .lingering:
            lingerDiscarded += bytes.count
            if lingerDiscarded > 1 << 20 { finalClose() }
            return
        case .closing, .closed:
            return
        case .reading, .processing:
            break
        }
        if parser.isIdle { headStartedAt = now }
        parser.append(bytes)
        lastReadProgress = now
        if case .reading = phase {
            processInput()
        } else if incoming != nil {
            pumpIncoming()
        }
        if case .closed = phase { return }
        if parser.bufferedByteCount > inputCap { suspendReading() }
    }

    private func peerClosed() {
        switch phase {
        case .reading:
            // EOF between requests is the normal end of a keep-alive connection; EOF inside a
            // request leaves nothing to answer.
            finalClose()
        case .processing:
            // The client may have half-closed after sending its requests (`printf ... | nc`):
            // answer every complete one it sent; processInput closes when no bytes are left.
            inputEnded = true
            suspendReading()
            // A streamed body cut short learns it once the buffered bytes are used up (pumpIncoming).
            if incoming != nil { pumpIncoming() }
        case .closing:
            suspendReading()
        case .lingering, .closed:
            finalClose()
        }
    }

    /// Parses buffered input while the connection is free to take a request.
    private func processInput() {
        while case .reading = phase {
            if outbound.count - outboundOffset > context.configuration.outboundHighWaterBytes {
                // The client is not reading its responses: stop taking requests until it does.
                suspendReading()
                return
            }
            let event: ParseEvent?
            do {
                event = try parser.next()
            } catch {
                respondToError(error.problem, method: head.map { $0.method.rawValue }, target: head?.target)
                return
            }
            guard let event else {
                // More bytes are needed and none will come.
                if inputEnded { beginClosing() }
                return
            }
            switch event {
            case .head(let newHead):
                if let limit = newHead.streamedBodyLimit {
                    dispatchStreaming(newHead, limit: limit)
                    return
                }
                head = newHead
                body = []
                if case .length(let length) = newHead.framing { body.reserveCapacity(min(length, 1 << 20)) }
                // RFC 9110 §10.1.1: send 100 only when the body will be read and has not begun to arrive.
                if newHead.expectsContinue && parser.bufferedByteCount == 0 {
                    send(ResponseSerializer.continueResponse)
                }
            case .body(let slice):
                body.append(contentsOf: slice)
            case .end:
                dispatchRequest()
            }
        }
    }

    // MARK: Streamed request bodies

    /// Hands a request to its handler as soon as its head is in; the body follows through
    /// `incoming` while the handler runs (`pumpIncoming`).
    private func dispatchStreaming(_ head: RequestHead, limit: Int) {
        let bound = self.bound
        let body = IncomingBody(
            limit: limit, highWater: 256 * 1024,
            onFirstRead: { bound.async { $0.sendOwedContinue() } },
            onDrained: { bound.async { $0.incomingDrained() } })
        incoming = body
        incomingPaused = false
        // RFC 9110 §10.1.1: send 100 only when the body will be read: when the handler first asks for it.
        continueOwed = head.expectsContinue && parser.bufferedByteCount == 0
        var request = Request(
            method: head.method, target: head.target, version: head.version, headers: head.headers,
            remoteAddress: peer, receivedAt: MonotonicClock.now())
        request.bodyStream = body
        dispatch(request, head: head)
        pumpIncoming()
    }

    /// Moves parsed body bytes into `incoming` until the parser needs more input, the handler
    /// falls behind (backpressure), or the body ends.
    private func pumpIncoming() {
        while let body = incoming, !incomingPaused {
            let event: ParseEvent?
            do {
                event = try parser.next()
            } catch {
                // The framing is broken: the handler gets the error, its answer closes the connection.
                failIncoming(HTTPError(error.problem))
                return
            }
            switch event {
            case nil:
                if inputEnded {
                    failIncoming(
                        HTTPError(.badRequest, detail: "The connection ended before the request body was complete."))
                } else {
                    resumeReadingIfPossible()
                }
                return
            case .body(let slice):
                if body.push(Array(slice)) { incomingPaused = true }
            case .end:
                body.finish()
                incoming = nil
            case .head:
                // The parser yields a head only after `.end`, which ended this body.
                return
            }
        }
    }

    private func incomingDrained() {
        guard incoming != nil else { return }
        incomingPaused = false
        pumpIncoming()
        resumeReadingIfPossible()
    }

    private func sendOwedContinue() {
        guard continueOwed, incoming != nil, case .processing = phase else { return }
        continueOwed = false
        send(ResponseSerializer.continueResponse)
    }

    /// Ends the streamed body with `error`; the connection closes after the handler's answer.
    private func failIncoming(_ error: HTTPError) {
        guard let body = incoming else { return }
        body.fail(error)
        incoming = nil
        continueOwed = false
        closeAfterResponse = true
        suspendReading()
    }

    // MARK: Handling

    private func dispatchRequest() {
        guard let head else { return }
        self.head = nil
        let request = Request(
            method: head.method, target: head.target, version: head.version, headers: head.headers,
            body: body, remoteAddress: peer, receivedAt: MonotonicClock.now())
        body = []
        dispatch(request, head: head)
    }

    private func dispatch(_ request: Request, head: RequestHead) {
        responseKeepsAlive = request.wantsKeepAlive
        responseIsHEAD = head.method == .head
        responseIsHTTP10 = head.version == .http1_0
        phase = .processing

        let responder = context.responder
        if responder.respondsInline(to: request) {
            deliver(Connection.respond(to: request, with: responder))
            return
        }
        let bound = self.bound
        context.workers.submit {
            let response = Connection.respond(to: request, with: responder)
            bound.async { $0.deliver(response) }
        }
    }

    /// Sends a complete response, or starts a streamed one: its producer writes on a worker
    /// thread (it may block on a slow client), through a writer that hops back to this queue.
    private func deliver(_ response: Response) {
        if let body = incoming {
            // Answered before the body ended: the rest is never read, so this exchange closes
            // the connection (the linger discards what is still in flight).
            body.cancel()
            incoming = nil
            continueOwed = false
            closeAfterResponse = true
        }
        guard case .stream(let produce) = response.body, !responseIsHEAD, response.status.allowsBody else {
            sendResponse(response)
            return
        }
        let credit = StreamCredit(highWater: context.configuration.outboundHighWaterBytes)
        sendStreamHead(response, credit: credit)
        let bound = self.bound
        let chunked = !responseIsHTTP10
        context.workers.submit {
            let writer = StreamWriter(connection: bound, credit: credit, chunked: chunked)
            do {
                try produce(writer)
                writer.finish()
            } catch {
                writer.abort()
            }
        }
    }

    /// The responder's answer; a thrown error becomes its problem (a bare error, a 500) so a
    /// handler's mistake is an HTTP answer, never a dropped connection.
    private static func respond(to request: Request, with responder: any Responder) -> Response {
        do {
            return try responder.respond(to: request)
        } catch let error as HTTPError {
            return error.problem.response()
        } catch {
            return ProblemDetails(.internalServerError, detail: "An unexpected error occurred.").response()
        }
    }

    private var closesAfterThisResponse: Bool {
        !responseKeepsAlive || closeAfterResponse || draining || (inputEnded && parser.bufferedByteCount == 0)
    }

    private func sendResponse(_ response: Response) {
        guard case .processing = phase else { return }
        let close =
            closesAfterThisResponse
            || response.headers.listValues(for: "Connection").contains { $0.equalsIgnoringASCIICase("close") }
        var bytes: [UInt8]
        if !response.status.allowsBody {
            bytes = ResponseSerializer.head(response, mode: .none, close: close, keepAliveHeader: responseIsHTTP10)
        } else {
            switch response.body {
            case .bytes(let content):
                bytes = ResponseSerializer.head(
                    response, mode: .length(content.count), close: close, keepAliveHeader: responseIsHTTP10)
                if !responseIsHEAD { bytes.append(contentsOf: content) }
            case .stream:
                // Only HEAD gets here with a stream: GET's headers, no body.
                bytes = ResponseSerializer.head(
                    response, mode: responseIsHTTP10 ? .none : .chunked, close: close,
                    keepAliveHeader: responseIsHTTP10)
            }
        }
        send(bytes)
        responseFinished(close: close)
    }

    func sendStreamHead(_ response: Response, credit: StreamCredit) {
        guard case .processing = phase else {
            credit.close()
            return
        }
        stream = credit
        // HTTP/1.0 has no chunked coding: the body ends when the connection does.
        streamCloseDelimited = responseIsHTTP10
        let close = closesAfterThisResponse || streamCloseDelimited
        if close { closeAfterResponse = true }
        send(
            ResponseSerializer.head(
                response, mode: streamCloseDelimited ? .none : .chunked, close: close, keepAliveHeader: false))
    }

    func sendStreamed(_ bytes: [UInt8]) {
        guard case .processing = phase, stream != nil else { return }
        streamBytesOutstanding += bytes.count
        send(bytes)
    }

    func finishStream() {
        guard case .processing = phase, stream != nil else { return }
        if !streamCloseDelimited { send(ResponseSerializer.lastChunk) }
        stream = nil
        streamBytesOutstanding = 0
        responseFinished(close: closeAfterResponse || draining || !responseKeepsAlive)
    }

    func abortStream() {
        finalClose()
    }

    private func responseFinished(close: Bool) {
        // A failed write closed the connection inside `send`: its fd is about to be released
        // (and reused by the next accept), so nothing more may be parsed, handled or written.
        if isClosed { return }
        requestsServed += 1
        if close {
            beginClosing()
            return
        }
        phase = .reading
        idleSince = MonotonicClock.now()
        if parser.bufferedByteCount > 0 { headStartedAt = idleSince }
        processInput()
        resumeReadingIfPossible()
    }

    /// Answers an error the core detected itself, then closes.
    private func respondToError(_ problem: ProblemDetails, method: String?, target: String?) {
        let requestID = context.hooks.makeRequestID()
        var response = problem.response()
        response.headers.set("X-Request-Id", requestID)
        context.hooks.coreResponse(
            ServerHooks.CoreResponse(
                status: problem.status, detail: problem.detail, requestID: requestID,
                remoteAddress: peer, method: method, target: target))
        send(
            ResponseSerializer.head(
                response, mode: .length(response.body.count ?? 0), close: true, keepAliveHeader: false))
        if case .bytes(let bytes) = response.body { send(bytes) }
        beginClosing()
    }

    // MARK: Writing

    private func send(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, !isClosed else { return }
        if outboundOffset == outbound.count {
            let written = bytes.withUnsafeBytes { writeNow($0) }
            guard let written else { return }
            if written == bytes.count {
                releaseStreamCredit(written)
                return
            }
            releaseStreamCredit(written)
            outbound.removeAll(keepingCapacity: true)
            outboundOffset = 0
            outbound.append(contentsOf: bytes[written...])
        } else {
            outbound.append(contentsOf: bytes)
        }
        startWriteSource()
    }

    /// One non-blocking write; nil when the connection failed (and is now closed).
    private func writeNow(_ bytes: UnsafeRawBufferPointer) -> Int? {
        switch SocketIO.write(fd, bytes) {
        case .done(let count):
            if count > 0 { lastWriteProgress = MonotonicClock.now() }
            return count
        case .wouldBlock:
            return 0
        case .closed, .failed:
            finalClose()
            return nil
        }
    }

    private func onWritable() {
        guard outboundOffset < outbound.count else {
            stopWriteSource()
            return
        }
        let written = outbound.withUnsafeBytes { raw in
            writeNow(UnsafeRawBufferPointer(rebasing: raw[outboundOffset...]))
        }
        guard let written else { return }
        outboundOffset += written
        releaseStreamCredit(written)
        if outboundOffset == outbound.count {
            outbound.removeAll(keepingCapacity: outbound.capacity <= 1 << 20)
            outboundOffset = 0
            stopWriteSource()
            outboundDrained()
        } else if outboundOffset > 1 << 16 && outboundOffset * 2 > outbound.count {
            outbound.removeFirst(outboundOffset)
            outboundOffset = 0
        }
    }

    private func releaseStreamCredit(_ written: Int) {
        guard let stream, streamBytesOutstanding > 0 else { return }
        let released = min(written, streamBytesOutstanding)
        streamBytesOutstanding -= released
        stream.release(released)
    }

    private func outboundDrained() {
        switch phase {
        case .closing:
            startLingering()
        case .reading:
            processInput()
            resumeReadingIfPossible()
        default:
            break
        }
    }

    private var hasPendingOutput: Bool { outboundOffset < outbound.count }

    private func startWriteSource() {
        if writeSource == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: loop.queue)
            let bound = self.bound
            source.setEventHandler { bound.unsafeValue().onWritable() }
            source.setCancelHandler { bound.unsafeValue().sourceCancelled() }
            writeSource = source
            sourcesToCancel += 1
        }
        if !writeSourceRunning {
            writeSourceRunning = true
            writeSource?.resume()
        }
    }

    private func stopWriteSource() {
        if writeSourceRunning {
            writeSourceRunning = false
            writeSource?.suspend()
        }
    }

    private func suspendReading() {
        if !readSuspended, let readSource {
            readSuspended = true
            readSource.suspend()
        }
    }

    private func resumeReadingIfPossible() {
        if readSuspended, let readSource, parser.bufferedByteCount <= inputCap {
            readSuspended = false
            readSource.resume()
        }
    }

    // MARK: Closing

    /// Closes once the queued output is written: shut the write side, then linger.
    private func beginClosing() {
        if isClosed { return }
        phase = .closing
        if !hasPendingOutput { startLingering() }
    }

    /// RFC 9112 §9.6: close in stages: shut the write side, keep reading (and discarding) a
    /// while, so the peer's unread request bytes do not make the kernel answer with a reset
    /// that would destroy the response before the client reads it.
    private func startLingering() {
        SocketIO.shutdownWrite(fd)
        phase = .lingering(deadline: MonotonicClock.now() + context.configuration.lingerTimeout.nanoseconds)
        stream?.close()
        if readSuspended, let readSource {
            readSuspended = false
            readSource.resume()
        }
    }

    /// Stops everything now; the fd is closed when both sources have been cancelled.
    func finalClose() {
        if case .closed = phase { return }
        phase = .closed
        failIncoming(HTTPError(.badRequest, detail: "The connection closed before the request body was complete."))
        stream?.close()
        stream = nil
        outbound = []
        if let readSource {
            if readSuspended { readSource.resume(); readSuspended = false }
            readSource.cancel()
        }
        if let writeSource {
            if !writeSourceRunning { writeSource.resume(); writeSourceRunning = true }
            writeSource.cancel()
        }
        if sourcesToCancel == 0 { release() }
    }

    private func sourceCancelled() {
        sourcesToCancel -= 1
        if sourcesToCancel == 0 { release() }
    }

    private func release() {
        readSource?.setEventHandler(handler: nil)
        writeSource?.setEventHandler(handler: nil)
        readSource = nil
        writeSource = nil
        SocketIO.close(fd)
        loop.remove(self)
    }

    private var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    // MARK: Timeouts and shutdown

    /// Called every timer tick with the current monotonic time.
    func checkDeadlines(now: UInt64) {
        let configuration = context.configuration
        switch phase {
        case .reading:
            if hasPendingOutput, now - lastWriteProgress > configuration.writeTimeout.nanoseconds {
                finalClose()
            } else if parser.isIdle {
                let limit = requestsServed == 0 ? configuration.headerTimeout : configuration.idleTimeout
                if now - idleSince > limit.nanoseconds { finalClose() }
            } else if parser.isReadingBody || head != nil {
                if now - lastReadProgress > configuration.bodyTimeout.nanoseconds {
                    respondToError(
                        ProblemDetails(.requestTimeout, detail: "The request body was not received in time."),
                        method: head?.method.rawValue, target: head?.target)
                }
            } else if now - headStartedAt > configuration.headerTimeout.nanoseconds {
                respondToError(
                    ProblemDetails(.requestTimeout, detail: "The request header section was not received in time."),
                    method: nil, target: nil)
            }
        case .processing, .closing:
            if hasPendingOutput, now - lastWriteProgress > configuration.writeTimeout.nanoseconds {
                finalClose()
            } else if incoming != nil, !incomingPaused, now - lastReadProgress > configuration.bodyTimeout.nanoseconds {
                failIncoming(HTTPError(.requestTimeout, detail: "The request body was not received in time."))
            }
        case .lingering(let deadline):
            if now >= deadline { finalClose() }
        case .closed:
            break
        }
    }

    /// Graceful shutdown: close now if idle, otherwise after the response in progress.
    func beginDraining() {
        draining = true
        if case .reading = phase, parser.isIdle, !hasPendingOutput { finalClose() }
    }

    /// Refuses the connection with `problem` (overload), then closes.
    func refuse(_ problem: ProblemDetails) {
        respondToError(problem, method: nil, target: nil)
    }
}

@available(*, unavailable)
extension Connection: Sendable {}
