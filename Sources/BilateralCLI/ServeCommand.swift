import ArgumentParser
import BilateralAPI
import Dispatch
import Foundation
import HTTPCore
import Logging
import SQLiteStore

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the API over HTTP until SIGINT or SIGTERM.",
        discussion: """
            Creates the database when missing and migrates it, then prints the URL it listens on.
            On SIGINT/SIGTERM it stops accepting, lets requests in progress finish (up to \(ServeCommand.shownSeconds(ServeCommand.defaults.shutdownGracePeriod)) s), and exits 0.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(
        help:
            "Address to listen on: 127.0.0.1 (this machine only), 0.0.0.0 (all IPv4), :: (all IPv4 and IPv6). [env: BILATERAL_HOST] (default: \(Self.defaults.host))"
    )
    var host: String?

    @Option(
        help:
            "Port to listen on; 0 picks a free one (printed on start). [env: BILATERAL_PORT] (default: \(Self.defaults.port))"
    )
    var port: Int?

    @Flag(help: "Load the bundled sample records into a database that has none yet. [env: BILATERAL_SAMPLE]")
    var sample = false

    @Option(
        name: .customLong("cors-origin"),
        help:
            "An origin allowed to call the API from a browser (repeatable), or `*`. Without it, no CORS headers. [env: BILATERAL_CORS_ORIGIN, comma-separated]"
    )
    var corsOrigins: [String] = []

    @Option(
        help:
            "Largest request body in bytes, after decompression. [env: BILATERAL_MAX_BODY_BYTES] (default: \(Self.defaults.limits.maxBodyBytes))"
    )
    var maxBodyBytes: Int?

    @Option(
        help:
            "Largest POST /v1/import body in bytes, after decompression; it is streamed, not held in memory. [env: BILATERAL_MAX_IMPORT_BYTES] (default: \(Self.apiDefaults.maxImportBytes))"
    )
    var maxImportBytes: Int?

    @Option(
        help:
            "Most simultaneous connections; more are answered 503. [env: BILATERAL_MAX_CONNECTIONS] (default: \(Self.defaults.maxConnections))"
    )
    var maxConnections: Int?

    @Option(
        help:
            "The least severe event logged: `trace`, `debug`, `info` (one access-log line per request), `notice`, `warning`, `error` or `critical`. [env: BILATERAL_LOG_LEVEL] (default: info)"
    )
    var logLevel: String?

    @Flag(
        name: .customLong("private"),
        help: "Reads and /metrics need an API key too (any scope). [env: BILATERAL_PRIVATE]")
    var privateReads = false

    @Option(
        help:
            "Seconds a client has to send a request's headers. [env: BILATERAL_HEADER_TIMEOUT] (default: \(Self.shownSeconds(Self.defaults.headerTimeout)))"
    )
    var headerTimeout: Double?

    @Option(
        help:
            "Seconds an idle keep-alive connection stays open. [env: BILATERAL_IDLE_TIMEOUT] (default: \(Self.shownSeconds(Self.defaults.idleTimeout)))"
    )
    var idleTimeout: Double?

    @Option(
        help:
            "Seconds a request body may go without progress. [env: BILATERAL_BODY_TIMEOUT] (default: \(Self.shownSeconds(Self.defaults.bodyTimeout)))"
    )
    var bodyTimeout: Double?

    @Option(
        help:
            "Seconds a response may wait on a client that does not read it. [env: BILATERAL_WRITE_TIMEOUT] (default: \(Self.shownSeconds(Self.defaults.writeTimeout)))"
    )
    var writeTimeout: Double?

    @Option(
        help:
            "Longest request line in bytes (414 beyond). [env: BILATERAL_MAX_REQUEST_LINE_BYTES] (default: \(Self.defaults.limits.maxRequestLineBytes))"
    )
    var maxRequestLineBytes: Int?

    @Option(
        help:
            "Largest header section in bytes (431 beyond). [env: BILATERAL_MAX_HEADER_BYTES] (default: \(Self.defaults.limits.maxHeaderBytes))"
    )
    var maxHeaderBytes: Int?

    @Option(
        help:
            "Most header fields in a request (431 beyond). [env: BILATERAL_MAX_HEADER_COUNT] (default: \(Self.defaults.limits.maxHeaderCount))"
    )
    var maxHeaderCount: Int?

    @Option(
        help:
            "Serial queues that do the socket I/O. [env: BILATERAL_IO_QUEUES] (default: one fewer than the CPUs, at least 1)"
    )
    var ioQueues: Int?

    @Option(help: "Threads that run request handlers. [env: BILATERAL_WORKERS] (default: twice the CPUs, at least 4)")
    var workers: Int?

    @Option(
        help:
            "Further threads for the requests that start while others wait for the database writer, so that writes arriving together commit together. [env: BILATERAL_SPARE_WORKERS] (default: \(Self.defaults.spareWorkerThreads))"
    )
    var spareWorkers: Int?

    @Option(
        help:
            "Streamed responses (exports) in progress at once, each on a thread of its own; more are answered 503. [env: BILATERAL_MAX_STREAMS] (default: \(Self.defaults.maxStreams))"
    )
    var maxStreams: Int?

    @Option(
        help:
            "Streamed responses one client address may have in progress; more are answered 429. [env: BILATERAL_MAX_STREAMS_PER_CLIENT] (default: \(Self.defaults.maxStreamsPerClient))"
    )
    var maxStreamsPerClient: Int?

    @Option(
        help:
            "Change streams (GET /v1/changes/stream) open at once; they hold no thread, only a connection. More are answered 503. [env: BILATERAL_MAX_EVENT_STREAMS] (default: \(Self.defaults.maxEventStreams))"
    )
    var maxEventStreams: Int?

    @Option(
        help:
            "Change streams one client address may have open; more are answered 429. [env: BILATERAL_MAX_EVENT_STREAMS_PER_CLIENT] (default: \(Self.defaults.maxEventStreamsPerClient))"
    )
    var maxEventStreamsPerClient: Int?

    @Option(
        help:
            "Keep the change feed's changes of the last DAYS days only; a reader asking for older ones gets 410 Gone. [env: BILATERAL_CHANGES_KEEP_DAYS] (default: keep all)"
    )
    var changesKeepDays: Int?

    @Option(
        help:
            "Keep the newest ROWS changes of the change feed only; a reader asking for older ones gets 410 Gone. [env: BILATERAL_CHANGES_KEEP_ROWS] (default: keep all)"
    )
    var changesKeepRows: Int?

    @Option(
        name: .customLong("rate-limit"),
        help: "`on` or `off`: whether any budget applies (429 beyond one). [env: BILATERAL_RATE_LIMIT] (default: on)")
    var rateLimit: String?

    @Option(
        name: .customLong("rate-limit-reads"),
        help:
            "Reads (GET, HEAD, OPTIONS) each API key and each client address may make: QUOTA/WINDOW (`6000/60s`, `100000/1h`) or `off`. [env: BILATERAL_RATE_LIMIT_READS] (default: \(Self.shown(RateLimitConfiguration.defaultReads)))"
    )
    var rateLimitReads: String?

    @Option(
        name: .customLong("rate-limit-writes"),
        help:
            "Writes (POST, PUT, PATCH, DELETE) per API key and per client address, QUOTA/WINDOW or `off`. [env: BILATERAL_RATE_LIMIT_WRITES] (default: \(Self.shown(RateLimitConfiguration.defaultWrites)))"
    )
    var rateLimitWrites: String?

    @Option(
        name: .customLong("rate-limit-search"),
        help:
            "GET /v1/search per API key and per client address, QUOTA/WINDOW or `off`. [env: BILATERAL_RATE_LIMIT_SEARCH] (default: \(Self.shown(RateLimitConfiguration.defaultSearch)))"
    )
    var rateLimitSearch: String?

    @Option(
        name: .customLong("rate-limit-bulk"),
        help:
            "GET /v1/export and POST /v1/import per API key and per client address, QUOTA/WINDOW or `off`. [env: BILATERAL_RATE_LIMIT_BULK] (default: \(Self.shown(RateLimitConfiguration.defaultBulk)))"
    )
    var rateLimitBulk: String?

    @Option(
        name: .customLong("rate-limit-buckets"),
        help:
            "Most rate-limit buckets held at once (about 80 bytes each); beyond, new clients share an overflow bucket. [env: BILATERAL_RATE_LIMIT_BUCKETS] (default: \(RateLimitConfiguration.defaultTableCapacity))"
    )
    var rateLimitBuckets: Int?

    func run() throws {
        let settings = try resolve()
        // Before the server starts and the line below is printed: a supervisor may send SIGTERM the
        // moment it reads that line, and a signal that arrives before Dispatch watches for it is lost.
        let waitForTerminationSignal = handleTerminationSignals()
        let path = try store.location()
        let pool = try StoreOpener.open(store)
        defer { pool.close() }
        let applied = try Schema.migrate(pool)
        // Batched, and written with AccessLog.writeAll, which retries short writes and EINTR.
        let log = AccessLog(fileDescriptor: STDERR_FILENO)
        let logger = Logger(label: "bilateral") { _ in JSONLinesLogHandler(sink: log, logLevel: settings.api.logLevel) }
        logger.debug("configuration", metadata: ["detail": "\(settings.server)"])
        for migration in applied {
            logger.info("migrated", metadata: ["detail": "\(path): \(migration.version) \(migration.name)"])
        }
        if settings.sample {
            switch try SampleData.loadIfEmpty(into: pool) {
            case .loaded(let records):
                logger.info(
                    "sample", metadata: ["detail": "loaded \(records) sample records (the founding article's facts)"])
            case .skipped:
                logger.info(
                    "sample", metadata: ["detail": "the database already has records; the sample was not loaded"])
            }
        }

        let app = try BilateralApp(store: pool, configuration: settings.api, log: log)
        let server: HTTPServer
        do {
            server = try HTTPServer(configuration: settings.server, responder: app.responder, hooks: app.serverHooks)
        } catch {
            throw ValidationError("Cannot listen on \(settings.server.host):\(settings.server.port): \(error)")
        }
        let shown = settings.server.host.contains(":") ? "[\(settings.server.host)]" : settings.server.host
        // Written straight to fd 1: stdout may be a pipe, where print() would buffer the line.
        FileHandle.standardOutput.write(
            Data("Bilateral listening on http://\(shown):\(server.port) (database \(path))\n".utf8))

        waitForTerminationSignal()
        logger.info(
            "shutting down",
            metadata: ["detail": "finishing requests in progress (at most \(settings.server.shutdownGracePeriod))"])
        // Change streams end with their last chunk, then the server drains the rest.
        app.stop()
        server.shutdown()
        log.flush()
    }

    struct Settings {
        var server: ServerConfiguration
        var api: APIConfiguration
        var sample: Bool
    }

    /// Hands SIGINT and SIGTERM to Dispatch instead of their default action, and returns a function
    /// that blocks until one of them arrives.
    ///
    /// Dispatch reads signals through signalfd on Linux, which sees only signals that are blocked.
    /// They are blocked here, on the main thread before the server starts its threads (which
    /// inherit the mask), so one sent early stays pending until the source reads it instead of
    /// being discarded as ignored.
    private func handleTerminationSignals() -> () -> Void {
        let received = DispatchSemaphore(value: 0)
        var blocked = sigset_t()
        sigemptyset(&blocked)
        let sources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            sigaddset(&blocked, number)
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { received.signal() }
            source.resume()
            return source
        }
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        return {
            received.wait()
            sources.forEach { $0.cancel() }
        }
    }
}
