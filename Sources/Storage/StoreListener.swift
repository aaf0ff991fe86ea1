/// A wait for notifications between processes (``DatabaseStore/listen(to:_:)``), running until
/// stopped.
public protocol StoreListener: AnyObject, Sendable {
    /// Stops listening; the handler is not called after this returns.
    func stop()
}
