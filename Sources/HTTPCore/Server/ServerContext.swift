import Synchronization

/// What every connection shares: configuration, the responder chain, the worker pool, hooks.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let responder: any Responder
    let workers: WorkerPool
    let hooks: ServerHooks
    let openConnections = Atomic<Int>(0)

    init(configuration: ServerConfiguration, responder: any Responder, hooks: ServerHooks) {
        self.configuration = configuration
        self.responder = responder
        self.hooks = hooks
        self.workers = WorkerPool(
            threads: configuration.workerThreads, spareThreads: configuration.spareWorkerThreads)
    }
}
