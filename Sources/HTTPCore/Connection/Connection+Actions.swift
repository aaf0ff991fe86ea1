/// Carrying out the machine's decisions: admission and handlers on workers, producers on the
/// stream pool, stream places taken and given back.
extension Connection {
    /// Carries out the machine's actions, then writes what they queued; writing may bring more.
    func perform() {
        guard !performing else { return }
        performing = true
        defer { performing = false }
        repeat {
            while let action = machine.nextAction() { carryOut(action) }
            if !machine.isClosed { writeQueued() }
        } while machine.hasActions
    }

    func carryOut(_ action: ConnectionStateMachine.Action) {
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
        case .push(let start, let credit, let chunked):
            let stream = PushStream(connection: bound, credit: credit, chunked: chunked)
            push = stream
            start(stream)
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

    func dispatch(_ request: Request) {
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
    func startProducer(
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

    func releaseEventStreamSlot() {
        if heldEventStreamSlot {
            heldEventStreamSlot = false
            context.eventStreamSlots.close(for: client)
        }
    }

    func releaseStreamSlot() {
        if heldStreamSlot {
            heldStreamSlot = false
            context.streamSlots.close(for: client)
        }
    }

    /// The responder's answer; a thrown error becomes its problem (a bare error, a 500) so a
    /// handler's mistake is an HTTP answer, never a dropped connection.
    static func respond(to request: Request, with responder: any Responder) -> Response {
        do {
            return try responder.respond(to: request)
        } catch let error as HTTPError {
            return error.problem.response()
        } catch {
            return ProblemDetails(.internalServerError, detail: "An unexpected error occurred.").response()
        }
    }
}
