/// Why gzip data could not be produced or read.
///
/// A struct around a private enum so new cases do not break `switch`es in callers; match with
/// `catch let error as GzipError where error == .sizeLimitExceeded`.
public struct GzipError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable {
        case corruptData
        case sizeLimitExceeded
        case zlibFailure
    }

    private let kind: Kind
    /// What zlib or the decoder said, for logs; never compared.
    public let detail: String

    private init(_ kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The input is not a well-formed gzip stream (bad header, bad checksum, truncated, trailing garbage).
    public static let corruptData = GzipError(.corruptData, detail: "corrupt gzip data")
    /// The decompressed output would exceed the decoder's limit.
    public static let sizeLimitExceeded = GzipError(.sizeLimitExceeded, detail: "decompressed size limit exceeded")
    /// zlib could not set up or run a stream (out of memory); not caused by the data.
    public static let zlibFailure = GzipError(.zlibFailure, detail: "zlib failure")

    static func corruptData(_ detail: String) -> GzipError { GzipError(.corruptData, detail: detail) }
    static func sizeLimitExceeded(limit: Int) -> GzipError {
        GzipError(.sizeLimitExceeded, detail: "decompressed size exceeds \(limit) bytes")
    }
    static func zlibFailure(_ detail: String) -> GzipError { GzipError(.zlibFailure, detail: detail) }

    public static func == (lhs: GzipError, rhs: GzipError) -> Bool { lhs.kind == rhs.kind }
    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }

    public var description: String { "GzipError: \(detail)" }
}
