import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An HTTP/1.1 origin server on non-blocking sockets and Dispatch.
///
/// Accepting runs on one queue, connection I/O on `ioQueues` serial queues, handlers on a
/// fixed worker pool: no thread per connection, and no blocking call on an I/O queue.
public final class HTTPServer: Sendable {
    /// The bound port (the ephemeral one when the configuration asked for 0).
    public let port: Int
    public let configuration: ServerConfiguration
    private let context: ServerContext
    private let loops: [IOLoop]
    private let acceptQueue = DispatchQueue(label: "bilateral.accept")
    private let acceptor: Acceptor
    private let stopped = Mutex(false)

    /// Binds and starts serving.
    /// - Throws: `SocketError` when the address cannot be bound.
    public init(configuration: ServerConfiguration, responder: any Responder, hooks: ServerHooks = ServerHooks()) throws
    {
        // A client that disappears must cost an EPIPE, never the process (we also pass MSG_NOSIGNAL).
        signal(SIGPIPE, SIG_IGN)
        let socket = try ListeningSocket(
            host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        self.port = socket.port
        self.configuration = configuration
        let context = ServerContext(configuration: configuration, responder: responder, hooks: hooks)
        self.context = context
        let loops = (0..<max(1, configuration.ioQueues)).map { IOLoop(index: $0, context: context) }
        self.loops = loops
        let listenFD = socket.fd
        let source = DispatchSource.makeReadSource(fileDescriptor: listenFD, queue: acceptQueue)
        let acceptor = Acceptor(socket: socket, loops: loops, context: context, source: source, queue: acceptQueue)
        self.acceptor = acceptor
        source.setEventHandler { acceptor.acceptAll() }
        source.setCancelHandler { SocketIO.close(listenFD) }
        source.resume()
    }

    /// Connections currently open.
    public var openConnectionCount: Int { context.openConnections.load(ordering: .relaxed) }

    /// Graceful shutdown: stop accepting, close idle connections, let requests in progress
    /// finish for up to the grace period, then close whatever remains. Blocks until done.
    public func shutdown() {
        let alreadyStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !alreadyStopped else { return }
        acceptQueue.sync { acceptor.stop() }
        for loop in loops { loop.drain() }
        // The grace period runs on the configured clock, so a test moves it instead of waiting.
        let clock = configuration.clock
        let deadline = clock.now() + configuration.shutdownGracePeriod.nanoseconds
        while openConnectionCount > 0 && clock.now() < deadline {
            usleep(5_000)
        }
        for loop in loops { loop.closeAll() }
        let closeDeadline = MonotonicClock.now() + 1_000_000_000
        while openConnectionCount > 0 && MonotonicClock.now() < closeDeadline {
            usleep(1_000)
        }
        for loop in loops { loop.stop() }
        context.workers.stop()
        context.streamWorkers.stop()
    }
}

/// Accepts every pending connection and deals them out to the loops in turn.
private final class Acceptor: @unchecked Sendable {
    // Used only on the accept queue.
    private let socket: ListeningSocket
    private let loops: [IOLoop]
    private let context: ServerContext
    private let source: DispatchSourceRead
    private let queue: DispatchQueue
    private var next = 0

    init(
        socket: ListeningSocket, loops: [IOLoop], context: ServerContext, source: DispatchSourceRead,
        queue: DispatchQueue
    ) {
        self.socket = socket
        self.loops = loops
        self.context = context
        self.source = source
        self.queue = queue
    }

    func stop() {
        source.cancel()
        // The handler holds this acceptor, which holds the source: let the cycle go.
        source.setEventHandler(handler: nil)
    }

    func acceptAll() {
        while true {
            let accepted: (fd: Int32, peer: SocketAddress)?
            do {
                accepted = try socket.accept()
            } catch {
                // Out of descriptors (EMFILE/ENFILE): the listen socket stays readable, so back off
                // instead of spinning, and let closing connections free some.
                source.suspend()
                queue.asyncAfter(deadline: .now() + .milliseconds(100)) { [self] in source.resume() }
                return
            }
            guard let (fd, peer) = accepted else { return }
            let maximum = context.configuration.maxConnections
            let open = context.openConnections.add(1, ordering: .relaxed).newValue
            var refusal: ProblemDetails? = nil
            if open > maximum {
                if open > maximum + 64 {
                    // Far over the limit: not even a response, to keep refusals cheap.
                    context.openConnections.subtract(1, ordering: .relaxed)
                    SocketIO.setAbortiveClose(fd)
                    SocketIO.close(fd)
                    continue
                }
                var headers = HTTPHeaders()
                headers.add("Retry-After", "1")
                refusal = ProblemDetails(
                    .serviceUnavailable,
                    detail: "The server is at its limit of \(maximum) connections; retry shortly.",
                    headers: headers)
            }
            SocketIO.setNoDelay(fd)
            let loop = loops[next % loops.count]
            next &+= 1
            loop.adopt(fd: fd, peer: peer.description, refusal: refusal)
        }
    }
}
