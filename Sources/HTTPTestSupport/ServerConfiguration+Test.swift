import HTTPCore

extension ServerConfiguration {
    /// A configuration for tests: loopback, an ephemeral port, few threads, and timeouts short
    /// enough that a test can wait them out. Override any of them per test.
    public static func test(
        host: String = "127.0.0.1", maxConnections: Int = 64, limits: ParserLimits = ParserLimits(),
        headerTimeout: Duration = .milliseconds(300), bodyTimeout: Duration = .milliseconds(500),
        idleTimeout: Duration = .milliseconds(500), writeTimeout: Duration = .seconds(2),
        lingerTimeout: Duration = .milliseconds(200), shutdownGracePeriod: Duration = .seconds(1),
        workerThreads: Int = 2, ioQueues: Int = 1, timerTick: Duration = .milliseconds(25),
        outboundHighWaterBytes: Int = 256 * 1024
    ) -> ServerConfiguration {
        ServerConfiguration(
            host: host, port: 0, backlog: 128, maxConnections: maxConnections, limits: limits,
            headerTimeout: headerTimeout, bodyTimeout: bodyTimeout, idleTimeout: idleTimeout,
            writeTimeout: writeTimeout,
            lingerTimeout: lingerTimeout, shutdownGracePeriod: shutdownGracePeriod, workerThreads: workerThreads,
            ioQueues: ioQueues, timerTick: timerTick, outboundHighWaterBytes: outboundHighWaterBytes)
    }
}
