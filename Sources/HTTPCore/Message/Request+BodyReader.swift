extension Request {
    /// The body as a stream, whether it is arriving (`bodyStream`) or was received whole (`body`),
    /// so a streaming handler also serves a request the server buffered. Read it once.
    public var bodyReader: any RequestBodyStream { bodyStream ?? BufferedBodyStream(body) }
}
