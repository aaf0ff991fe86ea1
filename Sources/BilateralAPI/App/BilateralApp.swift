import HTTPCore
import Logging
import Storage

/// The API assembled: routes, middleware, and the hooks the HTTP server reports through.
public final class BilateralApp: Sendable {
    public let store: any DatabaseStore
    public let metrics: Metrics
    /// The batched output of `logger` (flush it at shutdown).
    public let log: AccessLog
    /// Every event the app logs: access lines, errors, rejected requests.
    public let logger: Logger
    public let router: Router
    /// The budgets per key and per address; the server's head-time admission may call `admit` too.
    public let rateLimiter: RateLimiter
    /// Feeds the change streams.
    let changeHub: ChangeHub
    /// The router inside every middleware: what the HTTP server calls.
    public let responder: any Responder

    /// - Parameter log: where access lines and error reports go (stderr in production), through a
    ///   `JSONLinesLogHandler` at `configuration.logLevel`.
    public init(store: any DatabaseStore, configuration: APIConfiguration, log: AccessLog) throws {
        self.store = store
        self.log = log
        let logger = Logger(label: "bilateral") { _ in
            JSONLinesLogHandler(sink: log, logLevel: configuration.logLevel)
        }
        self.logger = logger
        let metrics = Metrics()
        self.metrics = metrics
        Self.registerDatabaseTimings(of: store, in: metrics)

        let secret = try store.read { db in
            try db.queryOne("SELECT value FROM settings WHERE name = 'cursor_secret'", []) { try $0.blob(0) }
        }
        guard let secret, secret.count >= 16 else {
            throw BundledResource.MissingError(name: "settings.cursor_secret (run `bilateral migrate`)")
        }
        let cursors = CursorCodec(secret: secret)
        let openAPI = try BundledResource.data("openapi.yaml")
        let docs = try DocsPage.render(openAPIYAML: String(decoding: openAPI, as: UTF8.self))

        var router = Router()
        OperationsRoutes(
            store: store, openAPIYAML: Array(openAPI), docsHTML: Array(docs.utf8),
            renderMetrics: { metrics.render() },
            log: { request, error in
                logger.error(
                    "database unreachable", metadata: ["request_id": "\(request.requestID)", "detail": "\(error)"])
            }
        ).register(in: &router)
        FrontDoorRoutes(store: store, privateReads: configuration.privateReads, explorer: try ExplorerBundle.load())
            .register(in: &router)
        let authenticator = Authenticator(store: store)
        CountryRoutes(store: store, cursors: cursors).register(in: &router)
        ActorRoutes(store: store, cursors: cursors, authenticator: authenticator).register(in: &router)
        SourceRoutes(store: store, cursors: cursors, authenticator: authenticator).register(in: &router)
        MeetingRoutes(store: store, cursors: cursors, authenticator: authenticator).register(in: &router)
        StatementRoutes(store: store, cursors: cursors, authenticator: authenticator).register(in: &router)
        InitiativeRoutes(store: store, cursors: cursors, authenticator: authenticator).register(in: &router)
        RelationRoutes(store: store, cursors: cursors).register(in: &router)
        SearchRoutes(store: store, cursors: cursors).register(in: &router)
        AreaRoutes(store: store).register(in: &router)
        ImportRoutes(
            store: store, authenticator: authenticator, maxImportBytes: configuration.maxImportBytes,
            maxLineBytes: configuration.maxBodyBytes
        ).register(in: &router)
        ExportRoutes(store: store).register(in: &router)
        let changeHub = ChangeHub(store: store, retention: configuration.changeRetention)
        self.changeHub = changeHub
        ChangeRoutes(
            store: store, hub: changeHub, privateReads: configuration.privateReads ? authenticator : nil
        ).register(in: &router)
        self.router = router

        let routes = router
        let rateLimiter = RateLimiter(configuration: configuration.rateLimits, metrics: metrics)
        self.rateLimiter = rateLimiter
        var middleware: [any Middleware] = [RequestIDMiddleware()]
        middleware.append(AccessLogMiddleware(logger: logger))
        middleware += [
            MetricsMiddleware(metrics: metrics),
            CacheControlMiddleware(),
            CORSMiddleware(origins: configuration.corsOrigins, allowedMethods: { routes.allowedMethods(forPath: $0) }),
            RateLimitMiddleware(
                limiter: rateLimiter, shared: SharedRateLimits(store: store, configuration: configuration.rateLimits)),
            CompressionMiddleware(),
            ProblemMiddleware(reporter: { request, error in
                logger.error(
                    "unhandled error",
                    metadata: ["request_id": "\(request.requestID)", "detail": "\(String(describing: error))"])
            }),
            RequestDecompressionMiddleware(maxBodyBytes: configuration.maxBodyBytes),
            DatabaseBusyMiddleware(),
            ChangeWakeMiddleware(hub: changeHub),
        ]
        if configuration.privateReads { middleware.append(PrivateReadsMiddleware(authenticator: authenticator)) }
        responder = router.wrapped(in: middleware)
    }

    /// SPEC's "database timings": how long requests waited for a connection (readers, and the
    /// writer or writers every write queues for) and how long their transactions took. The pool keeps the
    /// histograms itself; they are read only when `/metrics` is scraped.
    static func registerDatabaseTimings(of store: any DatabaseStore, in metrics: Metrics) {
        let timings = store.timings
        metrics.registerHistograms(
            "bilateral_db_wait_seconds", help: "Time a request waited for a database connection, in seconds.",
            bounds: DatabaseTimings.bounds
        ) {
            let all = timings.snapshot()
            return [
                Self.series("connection", "reader", .readerWait, all),
                Self.series("connection", "writer", .writerWait, all),
            ]
        }
        metrics.registerHistograms(
            "bilateral_db_transaction_seconds",
            help: "Database transactions from begin to end (a write to its durable commit), in seconds.",
            bounds: DatabaseTimings.bounds
        ) {
            let all = timings.snapshot()
            return [Self.series("access", "read", .read, all), Self.series("access", "write", .write, all)]
        }
    }

    private static func series(
        _ label: String, _ value: String, _ phase: DatabaseTimings.Phase, _ all: [DatabaseTimings.Histogram]
    ) -> Metrics.HistogramSeries {
        Metrics.HistogramSeries(
            labels: [label: value], counts: all[phase.rawValue].counts, sum: all[phase.rawValue].sum)
    }

    /// Ends every change stream cleanly and stops the change hub's work (shutdown).
    public func stop() {
        changeHub.stop()
    }

    /// Hooks that count connections and log the requests the server answers on its own.
    public var serverHooks: ServerHooks {
        let metrics = self.metrics
        let logger = self.logger
        return ServerHooks(
            connectionOpened: { metrics.connectionOpened() },
            connectionClosed: { metrics.connectionClosed() },
            coreResponse: { event in
                metrics.recordRequest(
                    method: HTTPMethod(rawValue: event.method ?? "-"), route: nil, status: event.status.code, seconds: 0
                )
                logger.warning(
                    "request rejected",
                    metadata: [
                        "request_id": "\(event.requestID)",
                        "detail": "\(event.status.code) \(event.detail) from \(event.remoteAddress)",
                    ])
            }
        )
    }
}
