/// Reading: bytes in, parsed one request at a time while the connection is free to take one.
extension ConnectionStateMachine {
    /// Bytes read from the socket.
    mutating func received(_ bytes: UnsafeRawBufferPointer, now: UInt64) {
        switch phase {
        case .lingering:
            lingerDiscarded += bytes.count
            if lingerDiscarded > configuration.lingerDiscardLimit { close() }
            return
        case .closing, .closed:
            return
        case .reading, .admitting, .processing:
            break
        }
        if parser.isIdle { headStartedAt = now }
        parser.append(bytes)
        lastReadProgress = now
        if phase == .reading {
            processInput(now: now)
        } else if incoming != nil {
            pumpIncoming(now: now)
        }
        if phase == .closed { return }
        if parser.bufferedByteCount > configuration.inputCap { suspendReading() }
    }

    /// The peer shut its write side (EOF).
    mutating func peerClosed(now: UInt64) {
        switch phase {
        case .reading:
            // EOF between requests is the normal end of a keep-alive connection. EOF inside a
            // request leaves nothing to answer, unless a refused request's body was being
            // discarded: its answer is out, and nothing more will come.
            close()
        case .processing where streamIsPushed:
            // A pushed body would never end for a half-closed client to read its answers: the
            // client is gone, and its place is free at once.
            close()
        case .admitting, .processing:
            // The client may have half-closed after sending its requests (`printf ... | nc`):
            // answer every complete one it sent; processInput closes when no bytes are left.
            inputEnded = true
            suspendReading()
            // A streamed body cut short learns it once the buffered bytes are used up (pumpIncoming).
            if incoming != nil { pumpIncoming(now: now) }
        case .closing:
            suspendReading()
        case .lingering, .closed:
            close()
        }
    }

    /// Reading or writing the socket failed: nothing more can be exchanged.
    mutating func socketFailed() {
        close()
    }

    /// Parses buffered input while the connection is free to take a request.
    mutating func processInput(now: UInt64) {
        while phase == .reading {
            if pendingOutput > configuration.outboundHighWater {
                // The client is not reading its responses: stop taking requests until it does.
                suspendReading()
                return
            }
            let event: ParseEvent?
            do {
                event = try parser.next()
            } catch {
                reject(error.problem, method: head.map { $0.method.rawValue }, target: head?.target, now: now)
                return
            }
            guard let event else {
                // More bytes are needed and none will come.
                if inputEnded { beginClosing(now: now) }
                return
            }
            switch event {
            case .head(let newHead):
                discardingBody = false
                head = newHead
                body = []
                request = Request(
                    method: newHead.method, target: newHead.target, version: newHead.version,
                    headers: newHead.headers, remoteAddress: peer, receivedAt: now)
                if newHead.framing != .none {
                    // Nothing of the body is read until the request is admitted: a refused
                    // stranger's body stays in the kernel's buffer, never in ours.
                    phase = .admitting
                    suspendReading()
                    emit(.admit(request!))
                    return
                }
            case .body(let slice):
                if !discardingBody { body.append(contentsOf: slice) }
            case .end:
                if discardingBody {
                    // The refused request's body is gone: the next request may follow.
                    discardingBody = false
                    head = nil
                    request = nil
                } else {
                    dispatchRequest(now: now)
                }
            }
        }
    }

    mutating func dispatchRequest(now: UInt64) {
        guard var request = self.request.take(), let head else { return }
        self.head = nil
        request.body = body
        request.receivedAt = now
        body = []
        dispatch(request, head: head)
    }

    mutating func dispatch(_ request: Request, head: RequestHead) {
        responseKeepsAlive = request.wantsKeepAlive
        responseIsHEAD = head.method == .head
        responseIsHTTP10 = head.version == .http1_0
        phase = .processing
        emit(.dispatch(request))
    }
}
