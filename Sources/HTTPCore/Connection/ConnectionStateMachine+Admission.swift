/// Admission: a request with a body is decided from its head before the body is read.
extension ConnectionStateMachine {
    /// The responder's decision on the request whose head is in (`Action.admit`).
    mutating func admitted(_ admission: Admission, now: UInt64) {
        guard phase == .admitting, let head else { return }
        switch admission {
        case .accept:
            accept(head, now: now)
        case .refuse(let error):
            refuse(head, error, now: now)
        case .check(let check):
            if case .length(let length) = head.framing, head.streamedBodyLimit == nil,
                parser.bufferedByteCount >= length
            {
                // The body is already here: holding it back saves nothing; the handler checks.
                accept(head, now: now)
            } else {
                emit(.check(check))
            }
        }
    }

    /// The outcome of an admission check run on a worker (`Action.check`).
    mutating func checked(_ refusal: HTTPError?, now: UInt64) {
        guard phase == .admitting, let head else { return }
        if let refusal {
            refuse(head, refusal, now: now)
        } else {
            accept(head, now: now)
        }
    }

    private mutating func accept(_ head: RequestHead, now: UInt64) {
        if let limit = head.streamedBodyLimit {
            dispatchStreaming(head, limit: limit, now: now)
            return
        }
        phase = .reading
        if case .length(let length) = head.framing { body.reserveCapacity(min(length, 1 << 20)) }
        // RFC 9110 §10.1.1: send 100 only when the body will be read and has not begun to arrive.
        if head.expectsContinue && parser.bufferedByteCount == 0 {
            send(ResponseSerializer.continueResponse, now: now)
        }
        processInput(now: now)
        resumeReadingIfPossible()
    }

    /// Answers now, without the body. A small body still on its way is read and dropped so the
    /// connection can go on; a large one, a chunked one, or one the client holds back for a
    /// `100 Continue` that never comes is not read at all: the connection closes after the answer.
    private mutating func refuse(_ head: RequestHead, _ error: HTTPError, now: UInt64) {
        guard var request = self.request.take() else { return }
        let small: Bool
        switch head.framing {
        case .length(let length): small = length <= configuration.discardLimit
        case .chunked, .none: small = false
        }
        if small && !head.expectsContinue && head.streamedBodyLimit == nil {
            discardingBody = true
        } else {
            // Nothing more will be parsed: what arrived of the body is dropped now, and reading
            // stays paused until the linger, which discards without buffering.
            closeAfterResponse = true
            parser = HTTPParser(limits: configuration.limits)
        }
        request.refusal = error
        self.head = nil
        body = []
        dispatch(request, head: head)
    }
}
