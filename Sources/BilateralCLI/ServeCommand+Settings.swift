import ArgumentParser
import BilateralAPI
import Dispatch
import Foundation
import HTTPCore
import Logging
import SQLiteStore

/// From the options, the `BILATERAL_*` variables and the configuration types' defaults, to the
/// settings the server starts with; a value out of range is refused naming its option.
extension ServeCommand {
    func resolve() throws -> Settings {
        var server = Self.defaults
        server.host = try EnvironmentDefault.resolve(host, "HOST", server.host) { $0 }
        server.port = try EnvironmentDefault.resolve(port, "PORT", server.port) { Int($0) }
        guard (0...65535).contains(server.port) else { throw ValidationError("--port must be from 0 to 65535.") }
        server.maxConnections = try EnvironmentDefault.resolve(
            maxConnections, "MAX_CONNECTIONS", server.maxConnections
        ) { Int($0) }
        guard server.maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1.") }
        let maxBody = try EnvironmentDefault.resolve(
            maxBodyBytes, "MAX_BODY_BYTES", server.limits.maxBodyBytes
        ) { Int($0) }
        guard maxBody >= 0 else { throw ValidationError("--max-body-bytes must not be negative.") }
        server.limits.maxBodyBytes = maxBody
        let maxImport = try EnvironmentDefault.resolve(
            maxImportBytes, "MAX_IMPORT_BYTES", Self.apiDefaults.maxImportBytes
        ) { Int($0) }
        guard maxImport >= 0 else { throw ValidationError("--max-import-bytes must not be negative.") }
        server.headerTimeout = try seconds(headerTimeout, "HEADER_TIMEOUT", server.headerTimeout)
        server.idleTimeout = try seconds(idleTimeout, "IDLE_TIMEOUT", server.idleTimeout)
        server.bodyTimeout = try seconds(bodyTimeout, "BODY_TIMEOUT", server.bodyTimeout)
        server.writeTimeout = try seconds(writeTimeout, "WRITE_TIMEOUT", server.writeTimeout)
        server.limits.maxRequestLineBytes = try EnvironmentDefault.resolve(
            maxRequestLineBytes, "MAX_REQUEST_LINE_BYTES", server.limits.maxRequestLineBytes
        ) { Int($0) }
        server.limits.maxHeaderBytes = try EnvironmentDefault.resolve(
            maxHeaderBytes, "MAX_HEADER_BYTES", server.limits.maxHeaderBytes
        ) { Int($0) }
        server.limits.maxHeaderCount = try EnvironmentDefault.resolve(
            maxHeaderCount, "MAX_HEADER_COUNT", server.limits.maxHeaderCount
        ) { Int($0) }
        guard server.limits.maxRequestLineBytes >= 64, server.limits.maxHeaderBytes >= 256,
            server.limits.maxHeaderCount >= 8
        else {
            throw ValidationError(
                "--max-request-line-bytes must be at least 64, --max-header-bytes at least 256, --max-header-count at least 8."
            )
        }
        server.workerThreads = try count(workers, "WORKERS", server.workerThreads, in: 1...512, flag: "--workers")
        server.spareWorkerThreads = try count(
            spareWorkers, "SPARE_WORKERS", server.spareWorkerThreads, in: 0...512, flag: "--spare-workers")
        server.maxStreams = try count(maxStreams, "MAX_STREAMS", server.maxStreams, in: 1...1024, flag: "--max-streams")
        server.maxStreamsPerClient = try count(
            maxStreamsPerClient, "MAX_STREAMS_PER_CLIENT", server.maxStreamsPerClient, in: 1...1024,
            flag: "--max-streams-per-client")
        server.maxEventStreams = try count(
            maxEventStreams, "MAX_EVENT_STREAMS", server.maxEventStreams, in: 1...100_000, flag: "--max-event-streams")
        server.maxEventStreamsPerClient = try count(
            maxEventStreamsPerClient, "MAX_EVENT_STREAMS_PER_CLIENT", server.maxEventStreamsPerClient, in: 1...100_000,
            flag: "--max-event-streams-per-client")
        server.ioQueues = try count(ioQueues, "IO_QUEUES", server.ioQueues, in: 1...64, flag: "--io-queues")

        let level = try EnvironmentDefault.resolve(logLevel, "LOG_LEVEL", "info") { $0 }.lowercased()
        guard let parsedLevel = Logger.Level(rawValue: level == "warn" ? "warning" : level) else {
            throw ValidationError(
                "--log-level must be trace, debug, info, notice, warning, error or critical, not '\(level)'.")
        }
        var origins = corsOrigins
        if origins.isEmpty, let fromEnvironment = EnvironmentDefault.string("CORS_ORIGIN") {
            origins = fromEnvironment.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
        }
        var api = APIConfiguration(
            corsOrigins: origins, maxBodyBytes: maxBody, maxImportBytes: maxImport,
            privateReads: try EnvironmentDefault.flag(privateReads, "PRIVATE"),
            logLevel: parsedLevel, rateLimits: try rateLimits())
        api.changeRetention = ChangeRetention(
            days: try optionalCount(changesKeepDays, "CHANGES_KEEP_DAYS", flag: "--changes-keep-days"),
            rows: try optionalCount(changesKeepRows, "CHANGES_KEEP_ROWS", flag: "--changes-keep-rows"))
        return Settings(server: server, api: api, sample: try EnvironmentDefault.flag(sample, "SAMPLE"))
    }

    /// The budgets from the options, the environment, or `RateLimitConfiguration`'s defaults.
    func rateLimits() throws -> RateLimitConfiguration {
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
    func budget(_ option: String?, _ name: String, _ fallback: RateLimitBudget?) throws -> RateLimitBudget? {
        guard let text = option ?? EnvironmentDefault.string(name) else { return fallback }
        guard let parsed = RateLimitBudget.parse(text) else {
            throw ValidationError(
                "--\(name.lowercased().replacingOccurrences(of: "_", with: "-")) / BILATERAL_\(name) must be QUOTA/WINDOW (`600/60s`, `1000000/1h`) or `off`, not '\(text)'."
            )
        }
        return parsed
    }

    /// A default budget as the help shows it.
    static func shown(_ budget: RateLimitBudget?) -> String {
        budget.map { "\($0.quota)/\($0.window)s" } ?? "off"
    }

    /// The defaults every option falls back to and its help shows: the configuration types' own,
    /// never a second copy here.
    static let defaults = ServerConfiguration()
    static let apiDefaults = APIConfiguration()

    /// A duration as the help shows it, in seconds: `10`, `0.5`.
    static func shownSeconds(_ duration: Duration) -> String {
        let seconds = inSeconds(duration)
        return seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    static func inSeconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// A positive number of seconds from the option, the environment, or the default.
    func seconds(_ option: Double?, _ name: String, _ fallback: Duration) throws -> Duration {
        let value = try EnvironmentDefault.resolve(option, name, Self.inSeconds(fallback)) { Double($0) }
        guard value > 0, value <= 86_400 else {
            throw ValidationError(
                "BILATERAL_\(name) / --\(name.lowercased().replacingOccurrences(of: "_", with: "-")) must be from 0 to 86400 seconds."
            )
        }
        return .milliseconds(Int(value * 1000))
    }

    /// A count from its option or `BILATERAL_<name>`, 1 or more, or nil when neither gives one;
    /// refused naming `flag` when below 1.
    func optionalCount(_ option: Int?, _ name: String, flag: String) throws -> Int? {
        let value = try EnvironmentDefault.resolve(option.map(Optional.some), name, nil) { Int($0).map(Optional.some) }
        if let value, value < 1 { throw ValidationError("\(flag) must be 1 or more.") }
        return value
    }

    /// A whole-number setting from its option, `BILATERAL_<name>` or `fallback`, refused naming
    /// `flag` when outside `range`.
    func count(_ option: Int?, _ name: String, _ fallback: Int, in range: ClosedRange<Int>, flag: String) throws -> Int
    {
        let value = try EnvironmentDefault.resolve(option, name, fallback) { Int($0) }
        guard range.contains(value) else {
            throw ValidationError("\(flag) must be from \(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }
}
