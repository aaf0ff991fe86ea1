/// Timeouts and shutdown: every deadline is checked against the time the timer event brings.
extension ConnectionStateMachine {
    /// The timer fired at `now`.
    mutating func timerFired(now: UInt64) {
        let limits = configuration
        switch phase {
        case .reading:
            if writeStalled(now: now) {
                close()
            } else if parserIsIdle {
                let limit = requestsServed == 0 ? limits.headerTimeout : limits.idleTimeout
                if now &- idleSince > limit { close() }
            } else if parserIsReadingBody || hasRequestInProgress {
                if now &- lastReadProgress > limits.bodyTimeout {
                    reject(
                        ProblemDetails(.requestTimeout, detail: "The request body was not received in time."),
                        method: currentMethod, target: currentTarget, now: now)
                }
            } else if now &- headStartedAt > limits.headerTimeout {
                reject(
                    ProblemDetails(.requestTimeout, detail: "The request header section was not received in time."),
                    method: nil, target: nil, now: now)
            }
        case .admitting:
            // The decision is the server's own work; only a client that stops reading stalls here.
            if writeStalled(now: now) { close() }
        case .processing, .closing:
            if writeStalled(now: now) {
                // The client stopped reading: a streamed body's producer is stopped with it.
                close()
            } else if incoming != nil, !incomingPaused, now &- lastReadProgress > limits.bodyTimeout {
                failIncomingBody(HTTPError(.requestTimeout, detail: "The request body was not received in time."))
            }
        case .lingering(let deadline):
            if now >= deadline { close() }
        case .closed:
            break
        }
    }

    /// Output waits and none of it has been written for the write timeout.
    private func writeStalled(now: UInt64) -> Bool {
        pendingOutput > 0 && now &- lastWriteProgress > configuration.writeTimeout
    }

    /// Graceful shutdown: close now if idle, otherwise after the response in progress.
    mutating func beginDraining(now: UInt64) {
        draining = true
        if phase == .reading, parserIsIdle, pendingOutput == 0 { close() }
    }

    /// Refuses the connection with `problem` (overload), then closes.
    mutating func refuseConnection(_ problem: ProblemDetails, now: UInt64) {
        reject(problem, method: nil, target: nil, now: now)
    }
}
