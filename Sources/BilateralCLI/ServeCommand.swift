import ArgumentParser
import BilateralAPI
import Dispatch
import Foundation
import HTTPCore
import SQLiteStore

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the API over HTTP until SIGINT or SIGTERM.",
        discussion: """
            Creates the database when missing and migrates it, then prints the URL it listens on.
            On SIGINT/SIGTERM it stops accepting, lets requests in progress finish (up to 10 s), and exits 0.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(
        help:
            "Address to listen on: 127.0.0.1 (this machine only), 0.0.0.0 (all IPv4), :: (all IPv4 and IPv6). [env: BILATERAL_HOST] (default: 127.0.0.1)"
    )
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (printed on start). [env: BILATERAL_PORT] (default: 8080)")
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
        help: "Largest request body in bytes, after decompression. [env: BILATERAL_MAX_BODY_BYTES] (default: 10485760)")
    var maxBodyBytes: Int?

    @Option(
        help:
            "Largest POST /v1/import body in bytes, after decompression; it is streamed, not held in memory. [env: BILATERAL_MAX_IMPORT_BYTES] (default: 1073741824)"
    )
    var maxImportBytes: Int?

    @Option(
        help: "Most simultaneous connections; more are answered 503. [env: BILATERAL_MAX_CONNECTIONS] (default: 4096)")
    var maxConnections: Int?

    @Option(
        help:
            "`debug`, `info` (one access-log line per request), `warning` or `error`. [env: BILATERAL_LOG_LEVEL] (default: info)"
    )
    var logLevel: String?

    @Flag(
        name: .customLong("private"),
        help: "Reads and /metrics need an API key too (any scope). [env: BILATERAL_PRIVATE]")
    var privateReads = false

    @Option(help: "Seconds a client has to send a request's headers. [env: BILATERAL_HEADER_TIMEOUT] (default: 10)")
    var headerTimeout: Double?

    @Option(help: "Seconds an idle keep-alive connection stays open. [env: BILATERAL_IDLE_TIMEOUT] (default: 75)")
    var idleTimeout: Double?

    @Option(help: "Seconds a request body may go without progress. [env: BILATERAL_BODY_TIMEOUT] (default: 30)")
    var bodyTimeout: Double?

    @Option(
        help:
            "Seconds a response may wait on a client that does not read it. [env: BILATERAL_WRITE_TIMEOUT] (default: 30)"
    )
    var writeTimeout: Double?

    @Option(help: "Longest request line in bytes (414 beyond). [env: BILATERAL_MAX_REQUEST_LINE_BYTES] (default: 8192)")
    var maxRequestLineBytes: Int?

    @Option(help: "Largest header section in bytes (431 beyond). [env: BILATERAL_MAX_HEADER_BYTES] (default: 32768)")
    var maxHeaderBytes: Int?

    @Option(help: "Most header fields in a request (431 beyond). [env: BILATERAL_MAX_HEADER_COUNT] (default: 100)")
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
            "Further threads for the requests that start while others wait for the database writer, so that writes arriving together commit together. [env: BILATERAL_SPARE_WORKERS] (default: 64)"
    )
    var spareWorkers: Int?

    @Option(
        help:
            "Streamed responses (exports) in progress at once, each on a thread of its own; more are answered 503. [env: BILATERAL_MAX_STREAMS] (default: \(ServerConfiguration.defaultMaxStreams))"
    )
    var maxStreams: Int?

    @Option(
        help:
            "Streamed responses one client address may have in progress; more are answered 429. [env: BILATERAL_MAX_STREAMS_PER_CLIENT] (default: 4)"
    )
    var maxStreamsPerClient: Int?

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
        let path = try store.path()
        let pool = try DatabasePoolOpener.open(store)
        defer { pool.close() }
        let applied = try Schema.migrator.migrate(pool)
        let log = AccessLog { bytes in bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) } }
        for migration in applied {
            log.event(.info, "migrated", detail: "\(path): \(migration.version) \(migration.name)")
        }
        if settings.sample {
            switch try SampleData.loadIfEmpty(into: pool) {
            case .loaded(let records):
                log.event(.info, "sample", detail: "loaded \(records) sample records (the founding article's facts)")
            case .skipped:
                log.event(.info, "sample", detail: "the database already has records; the sample was not loaded")
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
        log.event(
            .info, "shutting down",
            detail: "finishing requests in progress (at most \(settings.server.shutdownGracePeriod))")
        server.shutdown()
        log.flush()
    }

    private struct Settings {
        var server: ServerConfiguration
        var api: APIConfiguration
        var sample: Bool
    }

    private func resolve() throws -> Settings {
        var server = ServerConfiguration()
        server.host = try EnvironmentDefault.resolve(host, "HOST", "127.0.0.1") { $0 }
        server.port = try EnvironmentDefault.resolve(port, "PORT", 8080) { Int($0) }
        guard (0...65535).contains(server.port) else { throw ValidationError("--port must be from 0 to 65535.") }
        server.maxConnections = try EnvironmentDefault.resolve(maxConnections, "MAX_CONNECTIONS", 4096) { Int($0) }
        guard server.maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1.") }
        let maxBody = try EnvironmentDefault.resolve(maxBodyBytes, "MAX_BODY_BYTES", 10 * 1024 * 1024) { Int($0) }
        guard maxBody >= 0 else { throw ValidationError("--max-body-bytes must not be negative.") }
        server.limits.maxBodyBytes = maxBody
        let maxImport = try EnvironmentDefault.resolve(maxImportBytes, "MAX_IMPORT_BYTES", 1 << 30) { Int($0) }
        guard maxImport >= 0 else { throw ValidationError("--max-import-bytes must not be negative.") }
        server.headerTimeout = try seconds(headerTimeout, "HEADER_TIMEOUT", 10)
        server.idleTimeout = try seconds(idleTimeout, "IDLE_TIMEOUT", 75)
        server.bodyTimeout = try seconds(bodyTimeout, "BODY_TIMEOUT", 30)
        server.writeTimeout = try seconds(writeTimeout, "WRITE_TIMEOUT", 30)
        server.limits.maxRequestLineBytes = try EnvironmentDefault.resolve(
            maxRequestLineBytes, "MAX_REQUEST_LINE_BYTES", 8192
        ) { Int($0) }
        server.limits.maxHeaderBytes = try EnvironmentDefault.resolve(maxHeaderBytes, "MAX_HEADER_BYTES", 32768) {
            Int($0)
        }
        server.limits.maxHeaderCount = try EnvironmentDefault.resolve(maxHeaderCount, "MAX_HEADER_COUNT", 100) {
            Int($0)
        }
        guard server.limits.maxRequestLineBytes >= 64, server.limits.maxHeaderBytes >= 256,
            server.limits.maxHeaderCount >= 8
        else {
            throw ValidationError(
                "--max-request-line-bytes must be at least 64, --max-header-bytes at least 256, --max-header-count at least 8."
            )
        }
        server.workerThreads = try EnvironmentDefault.resolve(
            workers, "WORKERS", ServerConfiguration.defaultWorkerThreads
        ) { Int($0) }
        guard (1...512).contains(server.workerThreads) else {
            throw ValidationError("--workers must be from 1 to 512.")
        }
        server.spareWorkerThreads = try EnvironmentDefault.resolve(spareWorkers, "SPARE_WORKERS", 64) { Int($0) }
        guard (0...512).contains(server.spareWorkerThreads) else {
            throw ValidationError("--spare-workers must be from 0 to 512.")
        }
        server.maxStreams = try EnvironmentDefault.resolve(
            maxStreams, "MAX_STREAMS", ServerConfiguration.defaultMaxStreams
        ) { Int($0) }
        guard (1...1024).contains(server.maxStreams) else {
            throw ValidationError("--max-streams must be from 1 to 1024.")
        }
        server.maxStreamsPerClient = try EnvironmentDefault.resolve(
            maxStreamsPerClient, "MAX_STREAMS_PER_CLIENT", 4
        ) { Int($0) }
        guard (1...1024).contains(server.maxStreamsPerClient) else {
            throw ValidationError("--max-streams-per-client must be from 1 to 1024.")
        }
        server.ioQueues = try EnvironmentDefault.resolve(ioQueues, "IO_QUEUES", ServerConfiguration.defaultIOQueues) {
            Int($0)
        }
        guard (1...64).contains(server.ioQueues) else { throw ValidationError("--io-queues must be from 1 to 64.") }

        let level = try EnvironmentDefault.resolve(logLevel, "LOG_LEVEL", "info") { $0 }.lowercased()
        guard let parsedLevel = LogLevel(rawValue: level == "warn" ? "warning" : level) else {
            throw ValidationError("--log-level must be debug, info, warning or error, not '\(level)'.")
        }
        var origins = corsOrigins
        if origins.isEmpty, let fromEnvironment = EnvironmentDefault.string("CORS_ORIGIN") {
            origins = fromEnvironment.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
        }
        let api = APIConfiguration(
            corsOrigins: origins, maxBodyBytes: maxBody, maxImportBytes: maxImport,
            privateReads: try EnvironmentDefault.flag(privateReads, "PRIVATE"),
            accessLogEnabled: parsedLevel <= .info, rateLimits: try rateLimits())
        return Settings(server: server, api: api, sample: try EnvironmentDefault.flag(sample, "SAMPLE"))
    }

    /// The budgets from the options, the environment, or `RateLimitConfiguration`'s defaults.
    private func rateLimits() throws -> RateLimitConfiguration {
        let switchText = try EnvironmentDefault.resolve(rateLimit, "RATE_LIMIT", "on") { $0 }.lowercased()
        let enabled: Bool
        switch switchText {
        case "on", "true", "yes", "1": enabled = true
        case "off", "false", "no", "0": enabled = false
        default: throw ValidationError("--rate-limit must be on or off, not '\(switchText)'.")
        }
        let capacity = try EnvironmentDefault.resolve(
            rateLimitBuckets, "RATE_LIMIT_BUCKETS", RateLimitConfiguration.defaultTableCapacity
        ) { Int($0) }
        guard (16...16_777_216).contains(capacity) else {
            throw ValidationError("--rate-limit-buckets must be from 16 to 16777216.")
        }
        return RateLimitConfiguration(
            enabled: enabled,
            reads: try budget(rateLimitReads, "RATE_LIMIT_READS", RateLimitConfiguration.defaultReads),
            writes: try budget(rateLimitWrites, "RATE_LIMIT_WRITES", RateLimitConfiguration.defaultWrites),
            search: try budget(rateLimitSearch, "RATE_LIMIT_SEARCH", RateLimitConfiguration.defaultSearch),
            bulk: try budget(rateLimitBulk, "RATE_LIMIT_BULK", RateLimitConfiguration.defaultBulk),
            tableCapacity: capacity)
    }

    /// A budget from the option, the environment, or `fallback`; nil for `off`.
    private func budget(_ option: String?, _ name: String, _ fallback: RateLimitBudget?) throws -> RateLimitBudget? {
        guard let text = option ?? EnvironmentDefault.string(name) else { return fallback }
        guard let parsed = RateLimitBudget.parse(text) else {
            throw ValidationError(
                "--\(name.lowercased().replacingOccurrences(of: "_", with: "-")) / BILATERAL_\(name) must be QUOTA/WINDOW (`600/60s`, `1000000/1h`) or `off`, not '\(text)'."
            )
        }
        return parsed
    }

    /// A default budget as the help shows it.
    private static func shown(_ budget: RateLimitBudget?) -> String {
        budget.map { "\($0.quota)/\($0.window)s" } ?? "off"
    }

    /// A positive number of seconds from the option, the environment, or the default.
    private func seconds(_ option: Double?, _ name: String, _ fallback: Double) throws -> Duration {
        let value = try EnvironmentDefault.resolve(option, name, fallback) { Double($0) }
        guard value > 0, value <= 86_400 else {
            throw ValidationError(
                "BILATERAL_\(name) / --\(name.lowercased().replacingOccurrences(of: "_", with: "-")) must be from 0 to 86400 seconds."
            )
        }
        return .milliseconds(Int(value * 1000))
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
