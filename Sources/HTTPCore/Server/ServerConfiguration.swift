/// Everything the server can be tuned by: address, limits and timeouts. Every limit is here so
/// tests can shrink it; defaults are the production values (`docs/threat-model.md` lists them).
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks an ephemeral port; read it back from `HTTPServer.port`.
    public var port: Int
    public var backlog: Int32
    /// Open connections beyond this are answered 503 and closed; existing ones are unaffected.
    public var maxConnections: Int
    public var limits: ParserLimits
    /// A request head must be complete this long after its first byte (408, then close).
    /// Also bounds how long a new connection may stay silent.
    public var headerTimeout: Duration
    /// A body that makes no progress for this long is abandoned (408, then close).
    public var bodyTimeout: Duration
    /// A keep-alive connection with no request for this long is closed.
    public var idleTimeout: Duration
    /// A response the client does not read for this long is abandoned.
    public var writeTimeout: Duration
    /// After an error, how long the server keeps reading (and discarding) so the client gets
    /// the response instead of a reset.
    public var lingerTimeout: Duration
    /// How long graceful shutdown lets in-flight requests finish.
    public var shutdownGracePeriod: Duration
    /// Handlers that run at a time (threads that run handlers, not counting spares).
    public var workerThreads: Int
    /// Further threads for the handlers that start while others wait for the database writer
    /// (`HandlerWait.run`): the writes that wait together commit together.
    public var spareWorkerThreads: Int
    /// Serial I/O queues (each serves a share of the connections).
    public var ioQueues: Int
    /// How often deadlines are checked; timeouts fire within one tick of being due.
    public var timerTick: Duration
    /// A connection stops reading new requests while more than this many response bytes wait
    /// for the client, and a streamed body's writer blocks (backpressure).
    public var outboundHighWaterBytes: Int
    /// Streamed response bodies (exports) produced at a time, each on a thread of its own
    /// (never a request worker): beyond this a new one is answered 503 with `Retry-After`.
    public var maxStreams: Int
    /// Streamed response bodies one client address may hold at a time: beyond this, 429.
    public var maxStreamsPerClient: Int
    /// Pushed bodies (`ResponseBody.push`: event streams) open at a time. They hold no thread,
    /// only their connection: beyond this a new one is answered 503 with `Retry-After`.
    public var maxEventStreams: Int = 1024
    /// Pushed bodies one client address may hold at a time: beyond this, 429.
    public var maxEventStreamsPerClient: Int = 16
    /// A refused request's body up to this long is read and dropped so the connection goes on;
    /// a longer one (or a chunked one) is never read: the connection closes after the answer.
    public var refusedBodyDiscardBytes: Int
    /// The time every deadline is measured on (tests move a manual one).
    public var clock: ServerClock = .monotonic

    public init(
        host: String = "127.0.0.1", port: Int = 8080, backlog: Int32 = 1024, maxConnections: Int = 4096,
        limits: ParserLimits = ParserLimits(), headerTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(75), writeTimeout: Duration = .seconds(30),
        lingerTimeout: Duration = .seconds(2),
        shutdownGracePeriod: Duration = .seconds(10), workerThreads: Int = ServerConfiguration.defaultWorkerThreads,
        spareWorkerThreads: Int = 64, ioQueues: Int = ServerConfiguration.defaultIOQueues,
        timerTick: Duration = .milliseconds(250),
        outboundHighWaterBytes: Int = 1024 * 1024,
        maxStreams: Int = ServerConfiguration.defaultMaxStreams, maxStreamsPerClient: Int = 4,
        refusedBodyDiscardBytes: Int = 64 * 1024
    ) {
        self.host = host
        self.port = port
        self.backlog = backlog
        self.maxConnections = maxConnections
        self.limits = limits
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
        self.lingerTimeout = lingerTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.workerThreads = workerThreads
        self.spareWorkerThreads = spareWorkerThreads
        self.ioQueues = ioQueues
        self.timerTick = timerTick
        self.outboundHighWaterBytes = outboundHighWaterBytes
        self.maxStreams = maxStreams
        self.maxStreamsPerClient = maxStreamsPerClient
        self.refusedBodyDiscardBytes = refusedBodyDiscardBytes
    }

    public static let defaultMaxStreams = 32

    public static var defaultWorkerThreads: Int { max(4, SystemInfo.activeProcessorCount * 2) }
    /// One fewer than the CPUs: libdispatch hands every socket event from its manager thread to
    /// the queue's thread, so a queue per CPU leaves more runnable threads than CPUs under load,
    /// and the scheduler's time slices show up as milliseconds of tail latency (measured on 2
    /// CPUs: 1 queue 51k req/s p99 1.3 ms, 2 queues 50k req/s p99 2.3 ms).
    public static var defaultIOQueues: Int { max(1, SystemInfo.activeProcessorCount - 1) }
}

extension Duration {
    /// Whole nanoseconds, saturating.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }
}
