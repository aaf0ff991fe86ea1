import Synchronization

/// The process's metrics, rendered in the Prometheus text exposition format 0.0.4.
///
/// Built in: `bilateral_http_requests_total{method,route,status}`,
/// `bilateral_http_request_duration_seconds{method,route}` and `bilateral_http_open_connections`;
/// the app adds its own counters, gauges and histograms by name (`observeDatabaseQuery` records
/// `bilateral_db_query_duration_seconds{operation}`), and histograms a lower layer keeps itself are
/// read at render time (`registerHistograms`). Routes are patterns, never raw paths, so the
/// number of series stays bounded. Recording a request takes one lock and two dictionary updates.
public final class Metrics: Sendable {
    /// Latency buckets in seconds, from 0.5 ms to 10 s.
    public static let defaultLatencyBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
    /// The `Content-Type` of `render()`'s output.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static let requestsName = "bilateral_http_requests_total"
    static let durationName = "bilateral_http_request_duration_seconds"
    static let openConnectionsName = "bilateral_http_open_connections"
    static let databaseName = "bilateral_db_query_duration_seconds"

    public let latencyBuckets: [Double]
    private let state: Mutex<State>
    /// Per-request counts and latencies, striped: every worker records on every request.
    private let tallies = Striped { RequestTallies() }
    private let openConnections = Atomic<Int>(0)

    public init(latencyBuckets: [Double] = Metrics.defaultLatencyBuckets) {
        precondition(!latencyBuckets.isEmpty && latencyBuckets == latencyBuckets.sorted(), "buckets must ascend")
        self.latencyBuckets = latencyBuckets
        state = Mutex(State())
    }

    // MARK: HTTP

    /// Counts one answered request and observes its latency. A nil `route` counts as "unmatched";
    /// methods we do not implement count as "other", so clients cannot mint series.
    public func recordRequest(method: HTTPMethod, route: String?, status: Int, seconds: Double) {
        let methodLabel = HTTPMethod.implemented.contains(method) ? method.rawValue : "other"
        let routeLabel = route ?? "unmatched"
        let bucket = Histogram.bucketIndex(of: seconds, in: latencyBuckets)
        let bucketCount = latencyBuckets.count
        tallies.withLock { state in
            state.requests[RequestKey(method: methodLabel, route: routeLabel, status: status), default: 0] += 1
            state.latencies[
                RouteKey(method: methodLabel, route: routeLabel), default: Histogram(bucketCount: bucketCount)
            ]
            .observe(seconds, bucket: bucket)
        }
    }

    /// Call when the server accepts a connection.
    public func connectionOpened() { openConnections.add(1, ordering: .relaxed) }
    /// Call when the server closes a connection.
    public func connectionClosed() { openConnections.subtract(1, ordering: .relaxed) }
    /// Connections open now.
    public var openConnectionCount: Int { openConnections.load(ordering: .relaxed) }

    // MARK: Application metrics

    /// Adds `amount` to the counter `name` (conventionally ending in `_total`).
    public func increment(counter name: String, help: String, labels: [String: String] = [:], by amount: Double = 1) {
        let key = Labels(labels)
        update(name, kind: .counter, help: help, buckets: nil) { family in
            family.scalars[key, default: 0] += amount
        }
    }

    /// Sets the gauge `name` to `value`.
    public func set(gauge name: String, help: String, labels: [String: String] = [:], to value: Double) {
        let key = Labels(labels)
        update(name, kind: .gauge, help: help, buckets: nil) { family in
            family.scalars[key] = value
        }
    }

    /// Observes `value` in the histogram `name`. The buckets of the first observation stay.
    public func observe(
        histogram name: String, help: String, labels: [String: String] = [:], value: Double,
        buckets: [Double] = Metrics.defaultLatencyBuckets
    ) {
        let key = Labels(labels)
        update(name, kind: .histogram, help: help, buckets: buckets) { family in
            let bounds = family.buckets ?? buckets
            family.histograms[key, default: Histogram(bucketCount: bounds.count)]
                .observe(value, bucket: Histogram.bucketIndex(of: value, in: bounds))
        }
    }

    /// Observes one database query's duration, labelled by what it did (`"insert_meeting"`).
    public func observeDatabaseQuery(_ operation: String, seconds: Double) {
        observe(
            histogram: Metrics.databaseName, help: "Duration of database queries in seconds.",
            labels: ["operation": operation], value: seconds)
    }

    /// A gauge whose value is read from `value` at each `render()` (pool sizes, queue depths).
    /// `value` runs outside the lock, so it may itself use this registry.
    public func registerGauge(_ name: String, help: String, value: @escaping @Sendable () -> Double) {
        precondition(Metrics.isValidName(name), "invalid metric name \(name)")
        state.withLock { state in
            precondition(state.families[name] == nil, "\(name) is already a metric")
            state.gaugeProviders[name] = GaugeProvider(help: help, value: value)
        }
    }

    /// One series of a histogram read at render time: its labels, its per-bucket (not cumulative)
    /// counts — one per bound and a last one for `+Inf` — and the sum of its observations.
    public struct HistogramSeries: Sendable {
        public var labels: [String: String]
        public var counts: [UInt64]
        public var sum: Double

        public init(labels: [String: String], counts: [UInt64], sum: Double) {
            self.labels = labels
            self.counts = counts
            self.sum = sum
        }
    }

    /// A histogram family whose series are read from `series` at each `render()`: for timings a
    /// lower layer keeps itself (the database's), so recording them never touches this registry.
    public func registerHistograms(
        _ name: String, help: String, bounds: [Double], series: @escaping @Sendable () -> [HistogramSeries]
    ) {
        precondition(Metrics.isValidName(name), "invalid metric name \(name)")
        precondition(!bounds.isEmpty && bounds == bounds.sorted(), "buckets must ascend")
        state.withLock { state in
            precondition(
                state.families[name] == nil && state.gaugeProviders[name] == nil
                    && state.histogramProviders[name] == nil, "\(name) is already a metric")
            state.histogramProviders[name] = HistogramProvider(help: help, bounds: bounds, series: series)
        }
    }

    private func update(
        _ name: String, kind: Kind, help: String, buckets: [Double]?, _ body: (inout Family) -> Void
    ) {
        precondition(Metrics.isValidName(name), "invalid metric name \(name)")
        state.withLock { state in
            if state.families[name] == nil {
                precondition(state.gaugeProviders[name] == nil, "\(name) is already a metric")
                state.families[name] = Family(kind: kind, help: help, buckets: buckets)
            }
            precondition(state.families[name]?.kind == kind, "\(name) is already a metric of another type")
            body(&state.families[name, default: Family(kind: kind, help: help, buckets: buckets)])
        }
    }

    /// Metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`; label names: the same without `:`.
    static func isValidName(_ name: String, allowColon: Bool = true) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                true
            case UInt8(ascii: ":"): allowColon
            default: false
            }
        }
    }

    // MARK: Storage

    enum Kind: String {
        case counter, gauge, histogram
    }

    struct RequestKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    struct RouteKey: Hashable {
        var method: String
        var route: String
    }

    /// Label pairs sorted by name, so the same labels always make the same series.
    struct Labels: Hashable {
        var pairs: [Pair]
        struct Pair: Hashable {
            var name: String
            var value: String
        }
        init(_ labels: [String: String]) {
            pairs = labels.map { Pair(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
            for pair in pairs {
                precondition(
                    Metrics.isValidName(pair.name, allowColon: false) && pair.name != "le", "bad label \(pair.name)")
            }
        }
    }

    struct Histogram {
        /// Per-bucket (not cumulative) counts; the last slot is `+Inf`.
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0

        init(bucketCount: Int) { counts = Array(repeating: 0, count: bucketCount + 1) }

        mutating func add(_ other: Histogram) {
            for index in counts.indices { counts[index] += other.counts[index] }
            sum += other.sum
            count += other.count
        }

        mutating func observe(_ value: Double, bucket: Int) {
            counts[bucket] += 1
            sum += value
            count += 1
        }

        /// The first bucket whose upper bound is ≥ `value` (Prometheus `le` semantics).
        static func bucketIndex(of value: Double, in bounds: [Double]) -> Int {
            bounds.firstIndex(where: { value <= $0 }) ?? bounds.count
        }
    }

    struct Family {
        var kind: Kind
        var help: String
        var buckets: [Double]?
        var scalars: [Labels: Double] = [:]
        var histograms: [Labels: Histogram] = [:]
    }

    struct GaugeProvider {
        var help: String
        var value: @Sendable () -> Double
    }

    struct HistogramProvider {
        var help: String
        var bounds: [Double]
        var series: @Sendable () -> [HistogramSeries]
    }

    struct State {
        var requests: [RequestKey: UInt64] = [:]
        var latencies: [RouteKey: Histogram] = [:]
        var families: [String: Family] = [:]
        var gaugeProviders: [String: GaugeProvider] = [:]
        var histogramProviders: [String: HistogramProvider] = [:]
    }

    struct RequestTallies {
        var requests: [RequestKey: UInt64] = [:]
        var latencies: [RouteKey: Histogram] = [:]
    }

    /// A copy of everything: the named families as they are, and the request tallies of every stripe summed.
    func snapshot() -> State {
        var snapshot = state.withLock { $0 }
        tallies.forEach { stripe in
            for (key, count) in stripe.requests { snapshot.requests[key, default: 0] += count }
            for (key, histogram) in stripe.latencies {
                snapshot.latencies[key, default: Histogram(bucketCount: histogram.counts.count - 1)].add(histogram)
            }
        }
        return snapshot
    }
}
