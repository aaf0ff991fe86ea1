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
    let client: String
    /// Strong: the loop's read buffer must outlive every connection that reads into it, even one
    /// that outlasts a shutdown's grace period. `IOLoop.remove` breaks the cycle when it closes.
    let loop: IOLoop
    let context: ServerContext
    var machine: ConnectionStateMachine
    var outbound = OutboundQueue()
    var readSource: DispatchSourceRead?
    var writeSource: DispatchSourceWrite?
    var readSuspended = false
    var writeSourceRunning = false
    var sourcesToCancel = 0
    /// Carrying out actions now: events that arrive meanwhile queue theirs behind.
    var performing = false
    /// A stream place taken for the request in progress and not yet handed to its producer.
    var heldStreamSlot = false
    /// An event-stream place taken for the pushed body in progress (`ResponseBody.push`).
    var heldEventStreamSlot = false
    /// The pushed body in progress, ended when the server drains.
    var push: PushStream?
    /// The request in progress is a HEAD: its response never streams a body.
    var dispatchedHEAD = false

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

    var bound: LoopBound<Connection> { LoopBound(self, queue: loop.queue) }

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

    func onWritable() {
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

    func admissionChecked(_ refusal: HTTPError?) {
        machine.checked(refusal, now: context.clock.now())
        perform()
    }

    func deliver(_ response: Response) {
        handle(response)
        perform()
    }

    /// Hands the response to the machine. A streamed body needs a stream place: the one taken
    /// at dispatch (`Responder.streamsResponse`), or one taken now for a route that did not say
    /// it streams; without one the answer is the refusal instead.
    func handle(_ response: Response) {
        var response = response
        if case .push = response.body, response.status.allowsBody, !dispatchedHEAD, !machine.isClosed {
            releaseStreamSlot()
            if let refusal = context.eventStreamSlots.open(for: client) {
                response = StreamSlots.problem(for: refusal).problem.response()
            } else {
                heldEventStreamSlot = true
            }
        } else if case .stream = response.body, response.status.allowsBody, !dispatchedHEAD, !machine.isClosed {
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

    /// A pushed body ended by its feeder or by draining: the last chunk, then as after any response.
    func pushFinished(_ stream: PushStream) {
        guard stream === push else { return }
        push = nil
        releaseEventStreamSlot()
        streamFinished()
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
        // A pushed body never ends by itself: it ends now, and the connection closes after it.
        push?.finish()
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
}

/// The way back from an incoming body's callbacks to its connection, on the connection's queue.
private final class ConnectionBox: @unchecked Sendable {
    // Set once on the connection's queue before any callback can run; read only there.
    weak var connection: Connection?
}

@available(*, unavailable)
extension Connection: Sendable {}
