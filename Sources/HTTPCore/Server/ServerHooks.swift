/// Callbacks through which the server reports what handlers cannot see.
public struct ServerHooks: Sendable {
    /// A request the core answered itself (parse error, timeout, refused connection).
    public struct CoreResponse: Sendable {
        public var status: HTTPStatus
        public var detail: String
        public var requestID: String
        public var remoteAddress: String
        /// Method and target when the request line was read.
        public var method: String?
        public var target: String?
    }

    public var connectionOpened: @Sendable () -> Void
    public var connectionClosed: @Sendable () -> Void
    public var coreResponse: @Sendable (CoreResponse) -> Void
    /// Makes the `X-Request-Id` of responses the core writes itself.
    public var makeRequestID: @Sendable () -> String

    public init(
        connectionOpened: @escaping @Sendable () -> Void = {},
        connectionClosed: @escaping @Sendable () -> Void = {},
        coreResponse: @escaping @Sendable (CoreResponse) -> Void = { _ in },
        makeRequestID: @escaping @Sendable () -> String = { RequestIDGenerator.shared.next() }
    ) {
        self.connectionOpened = connectionOpened
        self.connectionClosed = connectionClosed
        self.coreResponse = coreResponse
        self.makeRequestID = makeRequestID
    }
}
