/// Size limits the parser enforces while reading a request.
public struct ParserLimits: Sendable {
    /// Longest request line, CRLF excluded (414 beyond).
    public var maxRequestLineBytes: Int
    /// Largest header section, field lines and their CRLFs (431 beyond).
    public var maxHeaderBytes: Int
    /// Most header fields (431 beyond).
    public var maxHeaderCount: Int
    /// Largest request body; a larger declared `Content-Length` is refused before reading (413).
    public var maxBodyBytes: Int

    public init(
        maxRequestLineBytes: Int = 8 * 1024, maxHeaderBytes: Int = 32 * 1024, maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 10 * 1024 * 1024
    ) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}
