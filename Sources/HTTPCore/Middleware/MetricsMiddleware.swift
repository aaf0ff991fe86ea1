/// Counts every request and observes its latency in `Metrics`, labelled by route pattern
/// (`response.route ?? request.route`, "unmatched" when none) and status.
///
/// Latency runs from `Request.receivedAt` (when the head was complete) to the response head; for
/// a streamed body, to the start of the stream. Place it outside `ProblemMiddleware` so it sees
/// final statuses; an error that does get through is counted as the status it will become.
public struct MetricsMiddleware: Middleware {
    private let metrics: Metrics

    public init(metrics: Metrics) {
        self.metrics = metrics
    }

    public func respond(to request: Request, next: any Responder) throws -> Response {
        let start = request.receivedAt != 0 ? request.receivedAt : MonotonicClock.now()
        do {
            let response = try next.respond(to: request)
            record(request, route: response.route ?? request.route, status: response.status.code, start: start)
            return response
        } catch {
            record(
                request, route: request.route, status: (error as? HTTPError)?.problem.status.code ?? 500, start: start)
            throw error
        }
    }

    private func record(_ request: Request, route: String?, status: Int, start: UInt64) {
        let now = MonotonicClock.now()
        let seconds = now > start ? Double(now - start) / 1_000_000_000 : 0
        metrics.recordRequest(method: request.method, route: route, status: status, seconds: seconds)
    }
}
