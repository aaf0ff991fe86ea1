/// What one connection does, decided without any I/O: it takes events (bytes received, an
/// admission decided, a response ready, bytes written, the timer with the time, the peer gone)
/// and answers with actions (send, admit, dispatch, start a producer, suspend or resume
/// reading, shut down, close) that `Connection`, its I/O shell, carries out. Time comes in with
/// every event, so every timeout is tested by passing times, without sleeping.
///
/// One request is processed at a time; pipelined requests wait, unparsed, in the parser's
/// buffer, so responses go out in request order without bookkeeping, and the buffer is capped
/// (reading pauses) so a flood of pipelined requests cannot grow memory.
///
/// A request with a body is decided from its head first (`Action.admit`): a refused one is
/// answered at once and its body is discarded as it arrives (small) or never read (large: the
/// connection closes), and `100 Continue` goes only to a request whose body will be read.
struct ConnectionStateMachine {
    enum Phase: Equatable {
        /// Reading a request (or idle between requests).
        case reading
        /// A head with a body is parsed; waiting for its admission (`admitted`, `checked`).
        case admitting
        /// A handler is running or its response is being produced.
        case processing
        /// The last response is queued; close once it is written.
        case closing
        /// Write side shut; reading and discarding until EOF or the linger deadline.
        case lingering(deadline: UInt64)
        case closed
    }

    enum Action {
        /// Queue these bytes for the socket, after everything queued before.
        case send([UInt8])
        /// Ask the responder for the admission of this head-only request; answer with `admitted`.
        case admit(Request)
        /// Run this check on a worker; answer with `checked`.
        case check(@Sendable () -> HTTPError?)
        /// Hand the request to the responder; answer with `deliver`.
        case dispatch(Request)
        /// Run a streamed body's producer, writing through `credit`; its bytes come back as
        /// `streamed`, its end as `streamFinished` or `streamFailed`.
        case produce(@Sendable (any BodyWriter) throws -> Void, credit: StreamCredit, chunked: Bool)
        /// Hand a pushed body's stream, writing through `credit`, to its feeder; its bytes come
        /// back as `streamed`, its end as `streamFinished`.
        case push(@Sendable (PushStream) -> Void, credit: StreamCredit, chunked: Bool)
        case suspendReading
        case resumeReading
        /// Shut the write side (the queued bytes first); keep reading to discard.
        case shutdownWrite
        /// Release everything now: the socket, its sources, the queued bytes.
        case close
        /// A response the core wrote itself, for the hooks (log, metrics).
        case report(ServerHooks.CoreResponse)
    }

    let configuration: ConnectionConfiguration
    let peer: String
    var phase = Phase.reading
    var parser: HTTPParser
    private var actions: [Action] = []
    private let makeRequestID: @Sendable () -> String
    /// Makes the body of a request whose handler reads it while it arrives.
    let makeIncomingBody: (_ limit: Int) -> IncomingBody

    var readSuspended = false
    /// Bytes sent and not yet written to the socket.
    var pendingOutput = 0
    var lastWriteProgress: UInt64
    var headStartedAt: UInt64
    var lastReadProgress: UInt64
    var idleSince: UInt64
    var requestsServed = 0
    var lingerDiscarded = 0

    /// The request being read or admitted, its body so far, and what admission decided.
    var request: Request?
    var head: RequestHead?
    var body: [UInt8] = []
    /// A refused request's body, read and dropped until its end.
    var discardingBody = false

    /// What the response in progress needs to know of its request.
    var responseKeepsAlive = true
    var responseIsHEAD = false
    var responseIsHTTP10 = false
    var closeAfterResponse = false
    /// The peer shut its write side while a request was in progress: answer what it sent, then close.
    var inputEnded = false
    var draining = false

    /// The streamed response in progress: its producer's credit and the bytes sent, not written.
    var stream: StreamCredit?
    var streamBytesOutstanding = 0
    var streamCloseDelimited = false
    /// The streamed response in progress is a pushed body (`ResponseBody.push`): it never ends by
    /// itself, so a client that closes its side is gone, not half-closed.
    var streamIsPushed = false
    /// The body of the request in progress, while it arrives for a handler that streams it.
    var incoming: IncomingBody?
    /// The handler has not yet read what `incoming` holds: parsing waits for it.
    var incomingPaused = false
    /// `100 Continue` is owed once the streaming handler first reads the body.
    var continueOwed = false

    init(
        configuration: ConnectionConfiguration, peer: String, now: UInt64,
        makeRequestID: @escaping @Sendable () -> String = { RequestIDGenerator.shared.next() },
        makeIncomingBody: @escaping (_ limit: Int) -> IncomingBody
    ) {
        self.configuration = configuration
        self.peer = peer
        self.parser = HTTPParser(limits: configuration.limits)
        self.makeRequestID = makeRequestID
        self.makeIncomingBody = makeIncomingBody
        lastWriteProgress = now
        headStartedAt = now
        lastReadProgress = now
        idleSince = now
    }

    /// Sets the routes whose bodies are read while they arrive (`Responder.streamedBodyLimit`).
    mutating func setStreamedBodyLimit(_ limit: @escaping @Sendable (HTTPMethod, String) -> Int?) {
        parser.streamedBodyLimit = limit
    }

    /// The next action to carry out, in order; nil when there is none.
    mutating func nextAction() -> Action? {
        // Moved out, not copied: an action can carry a whole request (a dozen references).
        actions.isEmpty ? nil : actions.removeFirst()
    }

    var isClosed: Bool { phase == .closed }
    /// Actions wait to be taken.
    var hasActions: Bool { !actions.isEmpty }
    var bufferedInput: Int { parser.bufferedByteCount }

    // MARK: Helpers shared with the extensions

    var isDraining: Bool { draining }
    var parserIsIdle: Bool { parser.isIdle }
    var parserIsReadingBody: Bool { parser.isReadingBody }
    var hasRequestInProgress: Bool { head != nil }
    var currentMethod: String? { head?.method.rawValue }
    var currentTarget: String? { head?.target }

    mutating func dropPendingActions() {
        actions.removeAll(keepingCapacity: true)
    }

    mutating func setPhase(_ phase: Phase) {
        self.phase = phase
    }

    mutating func markReadingResumed() {
        readSuspended = false
    }

    /// The streamed request body is no longer fed: the connection closes after this exchange.
    mutating func dropIncoming() {
        incoming = nil
        continueOwed = false
        closeAfterResponse = true
    }

    /// The response is out and the connection stays: take the next request.
    mutating func enterReading(now: UInt64) {
        phase = .reading
        idleSince = now
        if parser.bufferedByteCount > 0 { headStartedAt = now }
        processInput(now: now)
        resumeReadingIfPossible()
    }

    /// Everything queued is written: requests held back by unread output may go on.
    mutating func processInputAfterOutput(now: UInt64) {
        processInput(now: now)
        resumeReadingIfPossible()
    }

    mutating func emit(_ action: Action) {
        actions.append(action)
    }

    mutating func suspendReading() {
        if !readSuspended {
            readSuspended = true
            actions.append(.suspendReading)
        }
    }

    mutating func resumeReadingIfPossible() {
        if readSuspended, parser.bufferedByteCount <= configuration.inputCap {
            readSuspended = false
            actions.append(.resumeReading)
        }
    }

    /// Queues bytes for the socket.
    mutating func send(_ bytes: [UInt8], now: UInt64) {
        guard !bytes.isEmpty, !isClosed else { return }
        // A stall is measured from the moment output starts to wait, not from the last write.
        if pendingOutput == 0 { lastWriteProgress = now }
        pendingOutput += bytes.count
        actions.append(.send(bytes))
    }

    /// Answers an error the core detected itself (a parse error, a timeout), then closes.
    mutating func reject(_ problem: ProblemDetails, method: String?, target: String?, now: UInt64) {
        let requestID = makeRequestID()
        var response = problem.response()
        response.headers.set("X-Request-Id", requestID)
        actions.append(
            .report(
                ServerHooks.CoreResponse(
                    status: problem.status, detail: problem.detail, requestID: requestID,
                    remoteAddress: peer, method: method, target: target)))
        var bytes = ResponseSerializer.head(
            response, mode: .length(response.body.count ?? 0), close: true, keepAliveHeader: false)
        if case .bytes(let content) = response.body { bytes.append(contentsOf: content) }
        send(bytes, now: now)
        beginClosing(now: now)
    }
}

@available(*, unavailable)
extension ConnectionStateMachine: Sendable {}
