extension Metrics {
    /// Everything, in the Prometheus text format 0.0.4: families sorted by name, series sorted by
    /// their labels, histograms with cumulative `_bucket{le=...}` lines, `+Inf`, `_sum`, `_count`.
    public func render() -> String {
        let state = snapshot()
        var families: [(name: String, text: String)] = []

        var requests = FamilyText(
            name: Metrics.requestsName, help: "HTTP requests answered, by route and status.", kind: .counter)
        for (key, count) in state.requests {
            requests.add(
                Metrics.requestsName,
                labels: [("method", key.method), ("route", key.route), ("status", String(key.status))],
                value: Double(count))
        }
        families.append((Metrics.requestsName, requests.text()))

        var durations = FamilyText(
            name: Metrics.durationName, help: "Time from a complete request head to the response head, in seconds.",
            kind: .histogram)
        for (key, histogram) in state.latencies {
            durations.add(histogram, bounds: latencyBuckets, labels: [("method", key.method), ("route", key.route)])
        }
        families.append((Metrics.durationName, durations.text()))

        var connections = FamilyText(
            name: Metrics.openConnectionsName, help: "Client connections open now.", kind: .gauge)
        connections.add(Metrics.openConnectionsName, labels: [], value: Double(openConnectionCount))
        families.append((Metrics.openConnectionsName, connections.text()))

        for (name, family) in state.families {
            var text = FamilyText(name: name, help: family.help, kind: family.kind)
            for (labels, value) in family.scalars {
                text.add(name, labels: labels.pairs.map { ($0.name, $0.value) }, value: value)
            }
            for (labels, histogram) in family.histograms {
                text.add(histogram, bounds: family.buckets ?? [], labels: labels.pairs.map { ($0.name, $0.value) })
            }
            families.append((name, text.text()))
        }

        for (name, provider) in state.gaugeProviders {
            var text = FamilyText(name: name, help: provider.help, kind: .gauge)
            text.add(name, labels: [], value: provider.value())  // outside the lock
            families.append((name, text.text()))
        }

        for (name, provider) in state.histogramProviders {
            var text = FamilyText(name: name, help: provider.help, kind: .histogram)
            // `series()` runs outside the lock; a series of the wrong shape is skipped, not trapped on.
            for series in provider.series() where series.counts.count == provider.bounds.count + 1 {
                var histogram = Histogram(bucketCount: provider.bounds.count)
                histogram.counts = series.counts
                histogram.sum = series.sum
                histogram.count = series.counts.reduce(0, +)
                text.add(
                    histogram, bounds: provider.bounds, labels: Labels(series.labels).pairs.map { ($0.name, $0.value) })
            }
            families.append((name, text.text()))
        }

        return families.sorted { $0.name < $1.name }.map(\.text).joined()
    }

    /// One family's lines; series are sorted by their label text when rendered.
    struct FamilyText {
        let name: String
        let header: String
        /// (sort key, lines) per series.
        var series: [(key: String, lines: String)] = []

        init(name: String, help: String, kind: Kind) {
            self.name = name
            header = "# HELP \(name) \(Metrics.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
        }

        mutating func add(_ name: String, labels: [(String, String)], value: Double) {
            let labelText = Metrics.labelText(labels)
            series.append((labelText, "\(name)\(labelText) \(Metrics.format(value))\n"))
        }

        mutating func add(_ histogram: Histogram, bounds: [Double], labels: [(String, String)]) {
            var lines = ""
            var cumulative: UInt64 = 0
            for (index, bound) in bounds.enumerated() {
                cumulative += histogram.counts[index]
                lines += "\(name)_bucket\(Metrics.labelText(labels + [("le", Metrics.format(bound))])) \(cumulative)\n"
            }
            lines += "\(name)_bucket\(Metrics.labelText(labels + [("le", "+Inf")])) \(histogram.count)\n"
            lines += "\(name)_sum\(Metrics.labelText(labels)) \(Metrics.format(histogram.sum))\n"
            lines += "\(name)_count\(Metrics.labelText(labels)) \(histogram.count)\n"
            series.append((Metrics.labelText(labels), lines))
        }

        func text() -> String {
            header + series.sorted { $0.key < $1.key }.map(\.lines).joined()
        }
    }

    /// `{a="x",b="y"}`, or nothing without labels.
    static func labelText(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.0)=\"\(escapeLabelValue($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// Text format 0.0.4: in label values, `\`, `"` and line feed are escaped as `\\`, `\"`, `\n`.
    static func escapeLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Text format 0.0.4: in HELP, `\` and line feed are escaped.
    static func escapeHelp(_ help: String) -> String {
        var out = ""
        for character in help.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Integral values without a fraction, others in Swift's shortest round-trip form, which Go's
    /// ParseFloat (Prometheus' parser) reads; `+Inf`, `-Inf`, `NaN` as the format spells them.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
