import Dispatch
import Foundation

/// Runs a blocking call (such as `HTTPServer.shutdown()`) on a thread of its own while the test
/// goes on driving sockets.
///
/// A dedicated thread, not `DispatchQueue.global()`: synchronous tests occupy the global
/// queue's few threads, and work queued there can wait until other tests finish.
public final class BackgroundThread: Sendable {
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `body` at once.
    public init(_ body: @escaping @Sendable () -> Void) {
        let finished = self.finished
        let thread = Thread {
            body()
            finished.signal()
        }
        thread.start()
    }

    /// Waits up to `timeout` for `body` to return; true when it did.
    public func wait(timeout: Duration) -> Bool {
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        return finished.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success
    }
}
