import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// A serial queue that owns a share of the connections, their read buffer, and a timer that
/// checks their deadlines (one timer per loop instead of one per connection).
final class IOLoop: @unchecked Sendable {
    // Only `queue` and `context` are used off the queue; everything else is confined to `queue`.
    let queue: DispatchQueue
    let context: ServerContext
    /// One read buffer for every connection of the loop: they never read concurrently.
    let scratch: UnsafeMutableRawBufferPointer
    private var connections: [ObjectIdentifier: Connection] = [:]
    private var timer: DispatchSourceTimer?

    init(index: Int, context: ServerContext) {
        self.context = context
        self.queue = DispatchQueue(label: "bilateral.io.\(index)")
        self.scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let tick = context.configuration.timerTick
        timer.schedule(
            deadline: .now() + tick.dispatchInterval, repeating: tick.dispatchInterval,
            leeway: .milliseconds(10))
        timer.setEventHandler { [weak self] in self?.checkDeadlines() }
        self.timer = timer
        timer.resume()
    }

    deinit {
        timer?.cancel()
        scratch.deallocate()
    }

    /// Takes ownership of an accepted socket; answers `refusal` and closes when given one.
    func adopt(fd: Int32, peer: String, refusal: ProblemDetails?) {
        queue.async { [self] in
            let connection = Connection(fd: fd, peer: peer, loop: self, context: context)
            connections[ObjectIdentifier(connection)] = connection
            context.hooks.connectionOpened()
            connection.start()
            if let refusal { connection.refuse(refusal) }
        }
    }

    func remove(_ connection: Connection) {
        if connections.removeValue(forKey: ObjectIdentifier(connection)) != nil {
            context.openConnections.subtract(1, ordering: .relaxed)
            context.hooks.connectionClosed()
        }
    }

    private func checkDeadlines() {
        let now = context.configuration.clock.now()
        for connection in Array(connections.values) {
            connection.checkDeadlines(now: now)
        }
    }

    /// Closes idle connections now and the others after their current response.
    func drain() {
        queue.async { [self] in
            for connection in Array(connections.values) { connection.beginDraining() }
        }
    }

    /// Closes every connection at once.
    func closeAll() {
        queue.sync {
            for connection in Array(connections.values) { connection.finalClose() }
        }
    }

    func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
        }
    }
}

extension Duration {
    var dispatchInterval: DispatchTimeInterval {
        .nanoseconds(Int(min(nanoseconds, UInt64(Int.max))))
    }
}
