/// Streamed request bodies: the body of a route that reads it while it arrives is fed to its
/// handler piece by piece, with backpressure both ways.
extension ConnectionStateMachine {
    /// Hands a request to its handler as soon as its head is in; the body follows through
    /// `incoming` while the handler runs (`pumpIncoming`).
    mutating func dispatchStreaming(_ head: RequestHead, limit: Int, now: UInt64) {
        guard var request = self.request.take() else { return }
        let body = makeIncomingBody(limit)
        incoming = body
        incomingPaused = false
        // RFC 9110 §10.1.1: send 100 only when the body will be read: when the handler first asks for it.
        continueOwed = head.expectsContinue && parser.bufferedByteCount == 0
        request.bodyStream = body
        self.head = nil
        dispatch(request, head: head)
        pumpIncoming(now: now)
    }

    /// Moves parsed body bytes into `incoming` until the parser needs more input, the handler
    /// falls behind (backpressure), or the body ends.
    mutating func pumpIncoming(now: UInt64) {
        while let body = incoming, !incomingPaused {
            let event: ParseEvent?
            do {
                event = try parser.next()
            } catch {
                // The framing is broken: the handler gets the error, its answer closes the connection.
                failIncomingBody(HTTPError(error.problem))
                return
            }
            switch event {
            case nil:
                if inputEnded {
                    failIncomingBody(
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

    /// The streaming handler read its queue down: parsing may go on.
    mutating func incomingDrained(now: UInt64) {
        guard incoming != nil else { return }
        incomingPaused = false
        pumpIncoming(now: now)
        resumeReadingIfPossible()
    }

    /// The streaming handler asked for the body for the first time.
    mutating func incomingWanted(now: UInt64) {
        guard continueOwed, incoming != nil, phase == .processing else { return }
        continueOwed = false
        send(ResponseSerializer.continueResponse, now: now)
    }

    /// Ends the streamed body with `error`; the connection closes after the handler's answer.
    mutating func failIncomingBody(_ error: HTTPError) {
        guard let body = incoming else { return }
        body.fail(error)
        incoming = nil
        continueOwed = false
        closeAfterResponse = true
        suspendReading()
    }
}
