import HTTPCore
import Logging

/// How the API behaves, as the command line configures it.
public struct APIConfiguration: Sendable {
    /// Origins allowed by CORS; `["*"]` for any; empty for no CORS headers at all.
    public var corsOrigins: [String]
    /// Largest request body after decompression.
    public var maxBodyBytes: Int
    /// Largest `POST /v1/import` body after decompression (streamed, so it costs no memory).
    public var maxImportBytes: Int
    /// Reads need a key too (`--private`).
    public var privateReads: Bool
    /// The least severe log event written; `info` and below include one access line per request.
    public var logLevel: Logger.Level
    /// Budgets per API key and per client address.
    public var rateLimits: RateLimitConfiguration
    /// How long the change feed keeps changes (all by default).
    public var changeRetention: ChangeRetention = ChangeRetention()

    public init(
        corsOrigins: [String] = [], maxBodyBytes: Int = ParserLimits().maxBodyBytes, maxImportBytes: Int = 1 << 30,
        privateReads: Bool = false, logLevel: Logger.Level = .info,
        rateLimits: RateLimitConfiguration = RateLimitConfiguration()
    ) {
        self.corsOrigins = corsOrigins
        self.maxBodyBytes = maxBodyBytes
        self.maxImportBytes = maxImportBytes
        self.privateReads = privateReads
        self.logLevel = logLevel
        self.rateLimits = rateLimits
    }
}
