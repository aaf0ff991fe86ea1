/// Responses: complete ones, streamed ones and their backpressure, and what follows each.
extension ConnectionStateMachine {
    /// A body at least this long goes out as its own `send`, sharing the response's storage
    /// instead of being copied behind the head: a large static page answered to many slow
    /// readers is held once, not once per connection.
    static let sharedBodyThreshold = 16 * 1024

    /// The responder's answer to the request dispatched last.
    mutating func deliver(_ response: Response, now: UInt64) {
        if let body = incoming {
            // Answered before the body ended: the rest is never read, so this exchange closes
            // the connection (the linger discards what is still in flight).
            body.cancel()
            dropIncoming()
        }
        let streamed = response.body.count == nil
        guard streamed, !responseIsHEAD, response.status.allowsBody else {
            sendResponse(response, now: now)
            return
        }
        guard phase == .processing else { return }
        let credit = StreamCredit(highWater: configuration.streamHighWater)
        stream = credit
        // HTTP/1.0 has no chunked coding: the body ends when the connection does.
        streamCloseDelimited = responseIsHTTP10
        // A pushed body ends only when the server shuts down or the client goes: its connection
        // says `Connection: close`, so a client that stops reading (a browser leaving the page)
        // drops it at once instead of waiting to drain it for reuse.
        var isPush = false
        if case .push = response.body { isPush = true }
        let close = closesAfterThisResponse || streamCloseDelimited || isPush
        if close { closeAfterResponse = true }
        send(
            ResponseSerializer.head(
                response, mode: streamCloseDelimited ? .none : .chunked, close: close, keepAliveHeader: false),
            now: now)
        switch response.body {
        case .stream(let produce): emit(.produce(produce, credit: credit, chunked: !streamCloseDelimited))
        case .push(let start):
            streamIsPushed = true
            emit(.push(start, credit: credit, chunked: !streamCloseDelimited))
        case .bytes: break
        }
    }

    private var closesAfterThisResponse: Bool {
        !responseKeepsAlive || closeAfterResponse || isDraining || (inputEnded && bufferedInput == 0)
    }

    private mutating func sendResponse(_ response: Response, now: UInt64) {
        guard phase == .processing else { return }
        let close =
            closesAfterThisResponse
            || response.headers.listValues(for: "Connection").contains { $0.equalsIgnoringASCIICase("close") }
        if !response.status.allowsBody {
            send(
                ResponseSerializer.head(response, mode: .none, close: close, keepAliveHeader: responseIsHTTP10),
                now: now)
        } else {
            switch response.body {
            case .bytes(let content):
                var bytes = ResponseSerializer.head(
                    response, mode: .length(content.count), close: close, keepAliveHeader: responseIsHTTP10)
                if !responseIsHEAD {
                    if content.count >= Self.sharedBodyThreshold {
                        send(bytes, now: now)
                        bytes = content
                    } else {
                        bytes.append(contentsOf: content)
                    }
                }
                send(bytes, now: now)
            case .stream, .push:
                // Only HEAD gets here with a stream: GET's headers, no body.
                send(
                    ResponseSerializer.head(
                        response, mode: responseIsHTTP10 ? .none : .chunked, close: close,
                        keepAliveHeader: responseIsHTTP10),
                    now: now)
            }
        }
        responseFinished(close: close, now: now)
    }

    /// A piece of the streamed body, framed, from its producer.
    mutating func streamed(_ bytes: [UInt8], now: UInt64) {
        guard phase == .processing, stream != nil else { return }
        streamBytesOutstanding += bytes.count
        send(bytes, now: now)
    }

    /// The producer wrote its last piece.
    mutating func streamFinished(now: UInt64) {
        guard phase == .processing, stream != nil else { return }
        if !streamCloseDelimited { send(ResponseSerializer.lastChunk, now: now) }
        stream = nil
        streamIsPushed = false
        streamBytesOutstanding = 0
        responseFinished(close: closeAfterResponse || isDraining || !responseKeepsAlive, now: now)
    }

    /// The producer failed after the head went out: the only honest signal left is to close
    /// without the last chunk, so the client sees a truncated body rather than a complete one.
    mutating func streamFailed() {
        close()
    }

    private mutating func responseFinished(close: Bool, now: UInt64) {
        // A failed write closed the connection: nothing more may be parsed, handled or written.
        if isClosed { return }
        requestsServed += 1
        if close {
            beginClosing(now: now)
            return
        }
        enterReading(now: now)
    }

    // MARK: Writing

    /// `count` queued bytes reached the socket.
    mutating func wrote(_ count: Int, now: UInt64) {
        guard count > 0, !isClosed else { return }
        lastWriteProgress = now
        pendingOutput = max(0, pendingOutput - count)
        if let stream, streamBytesOutstanding > 0 {
            let released = min(count, streamBytesOutstanding)
            streamBytesOutstanding -= released
            stream.release(released)
        }
        if pendingOutput == 0 { outputDrained(now: now) }
    }

    private mutating func outputDrained(now: UInt64) {
        switch phase {
        case .closing:
            startLingering(now: now)
        case .reading:
            processInputAfterOutput(now: now)
        default:
            break
        }
    }

    // MARK: Closing

    /// Closes once the queued output is written: shut the write side, then linger.
    mutating func beginClosing(now: UInt64) {
        if isClosed { return }
        setPhase(.closing)
        if pendingOutput == 0 { startLingering(now: now) }
    }

    /// RFC 9112 §9.6: close in stages: shut the write side, keep reading (and discarding) a
    /// while, so the peer's unread request bytes do not make the kernel answer with a reset
    /// that would destroy the response before the client reads it.
    private mutating func startLingering(now: UInt64) {
        emit(.shutdownWrite)
        setPhase(.lingering(deadline: now + configuration.lingerTimeout))
        stream?.close()
        if readSuspended {
            markReadingResumed()
            emit(.resumeReading)
        }
    }

    /// Stops everything now: the producer and a streamed request body learn it at once.
    mutating func close() {
        if isClosed { return }
        if let body = incoming {
            body.fail(HTTPError(.badRequest, detail: "The connection closed before the request body was complete."))
            dropIncoming()
        }
        stream?.close()
        stream = nil
        streamIsPushed = false
        setPhase(.closed)
        // What was decided before is moot on a closed connection: no send, no dispatch.
        dropPendingActions()
        emit(.close)
    }
}
