/// A request body read while it arrives, for routes registered with a streamed body
/// (`Router.add(_:_:streamedBodyLimit:_:)`): the handler runs as soon as the head is in, and pulls
/// the body in pieces, so a body of any size needs memory for a few pieces only.
///
/// Read it from the handler's thread only, until `next()` returns nil or throws.
public protocol RequestBodyStream: AnyObject, Sendable {
    /// The most bytes the body may have (after any content decoding).
    var limit: Int { get }

    /// The next bytes of the body, waiting until some arrive; nil once the body is complete.
    /// - Throws: `HTTPError`: 400 when the framing or the connection broke, 408 when the client
    ///   stopped sending, 413 when the body passed `limit`. Every later call throws it again.
    func next() throws -> [UInt8]?
}
