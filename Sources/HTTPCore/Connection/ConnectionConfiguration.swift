/// The limits and timeouts one connection's state machine enforces, times in nanoseconds of the
/// monotonic clock its events carry.
struct ConnectionConfiguration: Sendable {
    var limits: ParserLimits
    var headerTimeout: UInt64
    var bodyTimeout: UInt64
    var idleTimeout: UInt64
    var writeTimeout: UInt64
    var lingerTimeout: UInt64
    /// Unwritten response bytes beyond which no new request is taken, and a streamed body's
    /// producer waits.
    var outboundHighWater: Int
    /// Unwritten bytes of a streamed body beyond which its producer waits: smaller than
    /// `outboundHighWater`, as a slow reader may hold it for as long as it reads.
    var streamHighWater: Int
    /// Unparsed input beyond which reading pauses until the current request is done.
    var inputCap: Int
    /// The longest body of a refused request that is read and dropped to keep the connection;
    /// a longer one closes it instead.
    var discardLimit: Int
    /// What a closing connection reads and drops before it gives up on a clean close.
    var lingerDiscardLimit: Int

    init(_ server: ServerConfiguration) {
        limits = server.limits
        headerTimeout = server.headerTimeout.nanoseconds
        bodyTimeout = server.bodyTimeout.nanoseconds
        idleTimeout = server.idleTimeout.nanoseconds
        writeTimeout = server.writeTimeout.nanoseconds
        lingerTimeout = server.lingerTimeout.nanoseconds
        outboundHighWater = server.outboundHighWaterBytes
        streamHighWater = min(server.outboundHighWaterBytes, 256 * 1024)
        inputCap = server.limits.maxHeaderBytes + server.limits.maxRequestLineBytes + 65536
        discardLimit = server.refusedBodyDiscardBytes
        lingerDiscardLimit = 1 << 20
    }
}
