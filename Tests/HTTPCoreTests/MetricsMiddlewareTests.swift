import Testing

@testable import HTTPCore

@Suite struct MetricsMiddlewareTests {
    static func lines(_ text: String, starting prefix: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }

    @Test func requestsAreCountedByMethodRouteAndStatus() throws {
        let metrics = Metrics()
        let middleware = MetricsMiddleware(metrics: metrics)
        for id in ["a", "b", "c"] {
            _ = try middleware.run(.make(.get, "/v1/meetings/\(id)")) { _ in
                var response = Response.text("{}")
                response.route = "/v1/meetings/{id}"
                return response
            }
        }
        _ = try middleware.run(.make(.get, "/nope")) { _ in Response(status: .notFound) }
        _ = try? middleware.run(.make(.post, "/v1/meetings")) { _ in throw TestFailure(description: "boom") }
        _ = try middleware.run(.make(HTTPMethod(rawValue: "BREW"), "/pot")) { _ in Response(status: .notImplemented) }

        let text = metrics.render()
        #expect(
            Self.lines(text, starting: "bilateral_http_requests_total") == [
                #"bilateral_http_requests_total{method="GET",route="/v1/meetings/{id}",status="200"} 3"#,
                #"bilateral_http_requests_total{method="GET",route="unmatched",status="404"} 1"#,
                #"bilateral_http_requests_total{method="POST",route="unmatched",status="500"} 1"#,
                #"bilateral_http_requests_total{method="other",route="unmatched",status="501"} 1"#,
            ])
        #expect(!text.contains("/v1/meetings/a"))
        #expect(
            text.contains(#"bilateral_http_request_duration_seconds_count{method="GET",route="/v1/meetings/{id}"} 3"#))
    }

    @Test func latencyIsMeasuredFromReceivedAt() throws {
        let metrics = Metrics()
        _ = try MetricsMiddleware(metrics: metrics).run(.make(receivedAt: MonotonicClock.now() - 300_000_000)) { _ in
            .text("")
        }
        let text = metrics.render()
        #expect(
            text.contains(
                #"bilateral_http_request_duration_seconds_bucket{method="GET",route="unmatched",le="0.25"} 0"#))
        #expect(
            text.contains(#"bilateral_http_request_duration_seconds_bucket{method="GET",route="unmatched",le="0.5"} 1"#)
        )
    }

    @Test func histogramBucketsAreCumulative() {
        let metrics = Metrics(latencyBuckets: [0.1, 1, 10])
        for seconds in [0.05, 0.1, 0.5, 2, 20, 30] {
            metrics.recordRequest(method: .get, route: "/r", status: 200, seconds: seconds)
        }
        let text = metrics.render()
        #expect(
            Self.lines(text, starting: "bilateral_http_request_duration_seconds") == [
                #"bilateral_http_request_duration_seconds_bucket{method="GET",route="/r",le="0.1"} 2"#,
                #"bilateral_http_request_duration_seconds_bucket{method="GET",route="/r",le="1"} 3"#,
                #"bilateral_http_request_duration_seconds_bucket{method="GET",route="/r",le="10"} 4"#,
                #"bilateral_http_request_duration_seconds_bucket{method="GET",route="/r",le="+Inf"} 6"#,
                #"bilateral_http_request_duration_seconds_sum{method="GET",route="/r"} 52.65"#,
                #"bilateral_http_request_duration_seconds_count{method="GET",route="/r"} 6"#,
            ])
        // Each bucket count is at most the next one's.
        let counts = Self.lines(text, starting: "bilateral_http_request_duration_seconds_bucket").compactMap {
            $0.split(separator: " ").last.flatMap { Int($0) }
        }
        #expect(counts == counts.sorted())
    }

    @Test func defaultBucketsSpanHalfAMillisecondToTenSeconds() {
        let metrics = Metrics()
        metrics.recordRequest(method: .get, route: "/r", status: 200, seconds: 0.0001)
        let buckets = Self.lines(metrics.render(), starting: "bilateral_http_request_duration_seconds_bucket")
        #expect(buckets.count == Metrics.defaultLatencyBuckets.count + 1)
        #expect(buckets.first?.contains(#"le="0.0005""#) == true)
        #expect(buckets.dropLast().last?.contains(#"le="10""#) == true)
    }

    @Test func helpAndTypePrecedeEveryFamilyInNameOrder() {
        let metrics = Metrics()
        metrics.recordRequest(method: .get, route: "/r", status: 200, seconds: 0.01)
        metrics.observeDatabaseQuery("select_meetings", seconds: 0.002)
        metrics.increment(counter: "bilateral_imports_total", help: "Imports run.")
        metrics.set(gauge: "bilateral_cache_entries", help: "Entries cached.", to: 42)
        metrics.registerGauge("bilateral_db_readers_busy", help: "Busy reader connections.") { 3 }
        let text = metrics.render()
        #expect(text.hasSuffix("\n"))
        let types = Self.lines(text, starting: "# TYPE")
        #expect(
            types == [
                "# TYPE bilateral_cache_entries gauge",
                "# TYPE bilateral_db_query_duration_seconds histogram",
                "# TYPE bilateral_db_readers_busy gauge",
                "# TYPE bilateral_http_open_connections gauge",
                "# TYPE bilateral_http_request_duration_seconds histogram",
                "# TYPE bilateral_http_requests_total counter",
                "# TYPE bilateral_imports_total counter",
            ])
        // Each family: HELP, then TYPE, then its samples.
        let all = text.split(separator: "\n").map(String.init)
        for (index, line) in all.enumerated() where line.hasPrefix("# TYPE") {
            let name = line.split(separator: " ")[2]
            #expect(all[index - 1].hasPrefix("# HELP \(name) "))
            #expect(index + 1 < all.count && all[index + 1].hasPrefix(String(name)))
        }
        #expect(text.contains("bilateral_cache_entries 42\n"))
        #expect(text.contains("bilateral_db_readers_busy 3\n"))
        #expect(text.contains("bilateral_imports_total 1\n"))
        #expect(
            text.contains(#"bilateral_db_query_duration_seconds_bucket{operation="select_meetings",le="0.0025"} 1"#))
        #expect(text.contains(#"bilateral_db_query_duration_seconds_sum{operation="select_meetings"} 0.002"#))
        // Every sample line is `name{labels} value`.
        for line in all where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            #expect(parts.count == 2, "\(line)")
        }
    }

    @Test func renderingIsDeterministic() {
        let metrics = Metrics()
        for route in ["/z", "/a", "/m", "/b"] {
            for status in [500, 200, 404] {
                metrics.recordRequest(method: .get, route: route, status: status, seconds: 0.001)
            }
        }
        metrics.increment(counter: "bilateral_x_total", help: "x", labels: ["b": "2", "a": "1"])
        metrics.increment(counter: "bilateral_x_total", help: "x", labels: ["a": "1", "b": "2"], by: 2)
        let text = metrics.render()
        #expect(text == metrics.render())
        let statuses = Self.lines(text, starting: "bilateral_http_requests_total")
        #expect(statuses == statuses.sorted())
        #expect(text.contains(#"bilateral_x_total{a="1",b="2"} 3"#))
    }

    @Test func labelValuesAreEscaped() {
        let metrics = Metrics()
        metrics.recordRequest(method: .get, route: "/a\"b\\c\nd", status: 200, seconds: 0)
        metrics.set(gauge: "bilateral_g", help: "Back\\slash and\nnewline.", to: 1.5)
        let text = metrics.render()
        #expect(text.contains(#"bilateral_http_requests_total{method="GET",route="/a\"b\\c\nd",status="200"} 1"#))
        #expect(text.contains("# HELP bilateral_g Back\\\\slash and\\nnewline.\n"))
        #expect(text.contains("bilateral_g 1.5\n"))
    }

    @Test func openConnectionsGauge() {
        let metrics = Metrics()
        metrics.connectionOpened()
        metrics.connectionOpened()
        metrics.connectionClosed()
        #expect(metrics.render().contains("bilateral_http_open_connections 1\n"))
    }

    @Test(arguments: [
        (1.0, "1"), (0.0005, "0.0005"), (2.5, "2.5"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"),
        (1e-05, "1e-05"),
    ])
    func valueFormatting(value: Double, expected: String) {
        #expect(Metrics.format(value) == expected)
    }

    @Test func concurrentRecordingLosesNothing() async {
        let metrics = Metrics()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<1000 { metrics.recordRequest(method: .get, route: "/r", status: 200, seconds: 0.001) }
                }
            }
        }
        #expect(metrics.render().contains(#"bilateral_http_requests_total{method="GET",route="/r",status="200"} 8000"#))
    }
}
