/// What a handler calls around a wait that needs no CPU — its turn at a database writer that
/// serializes writes — so that another request can run meanwhile.
///
/// The server runs at most `ServerConfiguration.workerThreads` handlers at a time (more runnable
/// threads than CPUs only add switches and tail latency). A handler waiting for the writer does
/// not count against that while it waits, and one of the spare threads
/// (`spareWorkerThreads`) takes the next request: more writes reach the writer together, and a
/// group commit shares its costs among them.
public enum HandlerWait {
    /// Runs `body`, a wait, with the calling handler not counted against the worker limit.
    /// Off the server's worker threads (a command, a test), it just runs `body`.
    public static func run<T>(_ body: () throws -> T) rethrows -> T {
        try WorkerPool.waiting(body)
    }
}
