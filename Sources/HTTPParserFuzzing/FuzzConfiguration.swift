import HTTPCore

/// The parser settings one input is checked under. Every input runs under both: the small limits
/// of the parser vectors reach every limit with short inputs; the defaults are what production uses.
struct FuzzConfiguration: Sendable {
    var limits: ParserLimits
    /// Bodies of `POST /upload` are streamed under a limit of their own, as a route may ask.
    var streamedUploadLimit: Int

    static let vectors = FuzzConfiguration(
        limits: ParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 256, maxHeaderCount: 8, maxBodyBytes: 32),
        streamedUploadLimit: 100)
    static let defaults = FuzzConfiguration(limits: ParserLimits(), streamedUploadLimit: 64 * 1024 * 1024)
    static let all = [vectors, defaults]

    func makeParser() -> HTTPParser {
        var parser = HTTPParser(limits: limits)
        let uploadLimit = streamedUploadLimit
        parser.streamedBodyLimit = { method, path in method == .post && path == "/upload" ? uploadLimit : nil }
        return parser
    }
}
