import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// One client connection's I/O shell: it owns the socket, its Dispatch sources and the bytes
/// waiting to be written, feeds what happens to its `ConnectionStateMachine`, and carries out
/// the actions the machine answers with. Every decision is the machine's; this type only reads,
/// writes, hops between queues and closes. Confined to its loop's serial queue.
final class Connection {
    let fd: Int32
    let peer: String
    /// The address the per-client stream cap counts by.
    private let client: String
    /// Strong: the loop's read buffer must outlive every connection that reads into it, even one
    /// that outlasts a shutdown's grace period. `IOLoop.remove` breaks the cycle when it closes.
    private let loop: IOLoop
    private let context: ServerContext
    private var machine: ConnectionStateMachine
    private var outbound = OutboundQueue()
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var readSuspended = false
    private var writeSourceRunning = false
    private var sourcesToCancel = 0
    /// Carrying out actions now: events that arrive meanwhile queue theirs behind.
    private var performing = false
    /// A stream place taken for the request in progress and not yet handed to its producer.
    private var heldStreamSlot = false
    /// The request in progress is a HEAD: its response never streams a body.
    private var dispatchedHEAD = false

    init(fd: Int32, peer: String, loop: IOLoop, context: ServerContext) {
        self.fd = fd
        self.peer = peer
        self.client = StreamSlots.client(ofPeer: peer)
        self.loop = loop
        self.context = context
        let queue = loop.queue
        // The incoming body's callbacks find the connection through a box filled right below:
        // they can only run once a request is dispatched, long after `init`.
        let box = ConnectionBox()
        machine = ConnectionStateMachine(
            configuration: ConnectionConfiguration(context.configuration), peer: peer, now: context.clock.now(),
            makeRequestID: context.hooks.makeRequestID,
            makeIncomingBody: { limit in
                IncomingBody(
                    limit: limit, highWater: 256 * 1024,
                    onFirstRead: { queue.async { box.connection?.incomingWanted() } },
                    onDrained: { queue.async { box.connection?.incomingDrained() } })
            })
        let responder = context.responder
        machine.setStreamedBodyLimit { method, path in responder.streamedBodyLimit(method: method, path: path) }
        box.connection = self
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

    // MARK: Events

    private func onReadable() {
        let scratch = loop.scratch
        var total = 0
        while !machine.isClosed {
            switch SocketIO.read(fd, into: scratch) {
            case .done(let count):
                total += count
                machine.received(UnsafeRawBufferPointer(rebasing: scratch[0..<count]), now: context.clock.now())
                perform()
                // A short read means the socket is drained; the source fires again if more comes.
                if count < scratch.count || total >= 1 << 20 || readSuspended { return }
            case .wouldBlock:
                return
            case .closed:
                machine.peerClosed(now: context.clock.now())
                perform()
                return
            case .failed:
                machine.socketFailed()
                perform()
                return
            }
        }
    }

    private func onWritable() {
        flush()
    }

    private func incomingWanted() {
        machine.incomingWanted(now: context.clock.now())
        perform()
    }

    private func incomingDrained() {
        machine.incomingDrained(now: context.clock.now())
        perform()
    }

    private func admissionChecked(_ refusal: HTTPError?) {
        machine.checked(refusal, now: context.clock.now())
        perform()
    }

    private func deliver(_ response: Response) {
        handle(response)
        perform()
    }

    /// Hands the response to the machine. A streamed body needs a stream place: the one taken
    /// at dispatch (`Responder.streamsResponse`), or one taken now for a route that did not say
    /// it streams; without one the answer is the refusal instead.
    private func handle(_ response: Response) {
        var response = response
        if case .stream = response.body, response.status.allowsBody, !dispatchedHEAD, !machine.isClosed {
            if !heldStreamSlot {
                if let refusal = context.streamSlots.open(for: client) {
                    response = StreamSlots.problem(for: refusal).problem.response()
                } else {
                    heldStreamSlot = true
                }
            }
        } else {
            releaseStreamSlot()
        }
        machine.deliver(response, now: context.clock.now())
    }

    func streamed(_ bytes: [UInt8]) {
        machine.streamed(bytes, now: context.clock.now())
        perform()
    }

    func streamFinished() {
        machine.streamFinished(now: context.clock.now())
        perform()
    }

    func streamFailed() {
        machine.streamFailed()
        perform()
    }

    /// Called every timer tick with the current monotonic time.
    func checkDeadlines(now: UInt64) {
        machine.timerFired(now: now)
        perform()
    }

    /// Graceful shutdown: close now if idle, otherwise after the response in progress.
    func beginDraining() {
        machine.beginDraining(now: context.clock.now())
        perform()
    }

    /// Refuses the connection with `problem` (overload), then closes.
    func refuse(_ problem: ProblemDetails) {
        machine.refuseConnection(problem, now: context.clock.now())
        perform()
    }

    /// Closes at once (server stop).
    func finalClose() {
        machine.close()
        perform()
    }

    // MARK: Actions

    /// Carries out the machine's actions, then writes what they queued; writing may bring more.
    private func perform() {
        guard !performing else { return }
        performing = true
        defer { performing = false }
        repeat {
            while let action = machine.nextAction() { carryOut(action) }
            if !machine.isClosed { writeQueued() }
        } while machine.hasActions
    }

    private func carryOut(_ action: ConnectionStateMachine.Action) {
        switch action {
        case .send(let bytes):
            // Written at once, so a failed write closes the connection before the actions
            // behind it (a pipelined request's dispatch) are taken.
            let wasEmpty = outbound.isEmpty
            outbound.append(bytes)
            if wasEmpty { writeQueued() }
        case .admit(let request):
            machine.admitted(context.responder.admission(for: request), now: context.clock.now())
        case .check(let check):
            let bound = self.bound
            context.workers.submit {
                let refusal = check()
                bound.async { $0.admissionChecked(refusal) }
            }
        case .dispatch(let request):
            dispatch(request)
        case .produce(let produce, let credit, let chunked):
            startProducer(produce, credit: credit, chunked: chunked)
        case .suspendReading:
            if !readSuspended, let readSource {
                readSuspended = true
                readSource.suspend()
            }
        case .resumeReading:
            if readSuspended, let readSource {
                readSuspended = false
                readSource.resume()
            }
        case .shutdownWrite:
            SocketIO.shutdownWrite(fd)
        case .close:
            closeSources()
        case .report(let event):
            context.hooks.coreResponse(event)
        }
    }

    private func dispatch(_ request: Request) {
        var request = request
        // Latency is real time, whatever clock the deadlines run on.
        request.receivedAt = MonotonicClock.now()
        dispatchedHEAD = request.method == .head
        let responder = context.responder
        // A handler that reads its body while it arrives (an import) waits on its client, and a
        // streamed response waits on its reader: both take a stream place and, for the former,
        // a stream thread, so that no request worker ever waits on a socket.
        let readsWhileArriving = request.bodyStream != nil
        if request.refusal == nil, readsWhileArriving || responder.streamsResponse(to: request) {
            if let refusal = context.streamSlots.open(for: client) {
                request.refusal = StreamSlots.problem(for: refusal)
            } else {
                heldStreamSlot = true
            }
        }
        if responder.respondsInline(to: request) {
            handle(Connection.respond(to: request, with: responder))
            return
        }
        let bound = self.bound
        let dispatched = request
        guard readsWhileArriving && heldStreamSlot else {
            context.workers.submit {
                let response = Connection.respond(to: dispatched, with: responder)
                bound.async { $0.deliver(response) }
            }
            return
        }
        // The handler owns the place while it runs, however the connection ends meanwhile:
        // places and stream threads stay one for one.
        heldStreamSlot = false
        let slots = context.streamSlots
        let client = self.client
        context.streamWorkers.submit {
            defer { slots.close(for: client) }
            let response = Connection.respond(to: dispatched, with: responder)
            bound.async { $0.deliver(response) }
        }
    }

    /// Runs a streamed body's producer on the stream pool, never on a request worker: it waits
    /// whenever its client is slow (`StreamCredit`), and the connection's write timeout or close
    /// stops it at once.
    private func startProducer(
        _ produce: @escaping @Sendable (any BodyWriter) throws -> Void, credit: StreamCredit, chunked: Bool
    ) {
        let bound = self.bound
        let slots = context.streamSlots
        let client = self.client
        let ownsSlot = heldStreamSlot
        heldStreamSlot = false
        context.streamWorkers.submit {
            defer { if ownsSlot { slots.close(for: client) } }
            let writer = StreamWriter(connection: bound, credit: credit, chunked: chunked)
            do {
                try produce(writer)
                writer.finish()
            } catch {
                writer.abort()
            }
        }
    }

    private func releaseStreamSlot() {
        if heldStreamSlot {
            heldStreamSlot = false
            context.streamSlots.close(for: client)
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

    // MARK: Writing

    /// Writes what the socket takes now and reports it; waits for writability for the rest.
    private func writeQueued() {
        while !outbound.isEmpty {
            switch outbound.write(to: fd) {
            case .done(let count):
                if count == 0 {
                    startWriteSource()
                    return
                }
                machine.wrote(count, now: context.clock.now())
            case .wouldBlock:
                startWriteSource()
                return
            case .closed, .failed:
                machine.socketFailed()
                return
            }
        }
        stopWriteSource()
    }

    private func flush() {
        writeQueued()
        perform()
    }

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

    // MARK: Closing

    /// Cancels both sources; the fd is closed when both have been cancelled.
    private func closeSources() {
        outbound.removeAll()
        releaseStreamSlot()
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
}

/// The way back from an incoming body's callbacks to its connection, on the connection's queue.
private final class ConnectionBox: @unchecked Sendable {
    // Set once on the connection's queue before any callback can run; read only there.
    weak var connection: Connection?
}

@available(*, unavailable)
extension Connection: Sendable {}
