import Dispatch

/// Carries a queue-confined object across threads; it can only be used by hopping onto its queue
/// (the pattern of NIO's `NIOLoopBound`).
struct LoopBound<Value: AnyObject>: @unchecked Sendable {
    // `value` is only touched inside blocks submitted to `queue`.
    private let value: Value
    let queue: DispatchQueue

    init(_ value: Value, queue: DispatchQueue) {
        self.value = value
        self.queue = queue
    }

    /// Runs `body` with the value on its queue.
    func async(_ body: @escaping @Sendable (Value) -> Void) {
        queue.async { body(value) }
    }

    /// The value, for code that is already on `queue`.
    func unsafeValue() -> Value {
        dispatchPrecondition(condition: .onQueue(queue))
        return value
    }
}
