import CLibPQ
import Locking

/// What cancels the statement running on one connection, from any thread.
///
/// libpq: "PQcancel ... can safely be invoked from a signal handler, if the errbuf is a local
/// variable", and the `PGcancel` object is independent of the `PGconn`, so another thread may use
/// it while the connection's owner waits for a result. The object is replaced when the connection
/// reconnects (a new backend has a new key) and freed when it closes, under `lock`.
final class CancelToken: @unchecked Sendable {
    // @unchecked: `handle` is read and written only under `lock`.
    private let lock = ConditionLock()
    private var handle: OpaquePointer?

    deinit {
        if let handle {
            PQfreeCancel(handle)
        }
    }

    /// Points the token at `connection`'s current backend, or at nothing.
    func replace(with connection: OpaquePointer?) {
        let new = connection.flatMap { PQgetCancel($0) }
        lock.withLock {
            if let handle {
                PQfreeCancel(handle)
            }
            handle = new
        }
    }

    /// Asks the server to cancel the statement in progress, if any. "Successful dispatch is no
    /// guarantee that the request will have any effect": a statement that already finished is
    /// not affected, and an idle backend ignores the request.
    func cancel() {
        lock.withLock {
            guard let handle else { return }
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
                _ = PQcancel(handle, buffer.baseAddress, 256)
            }
        }
    }
}
