import Synchronization

/// What every connection shares: configuration, the responder chain, the worker pool, hooks.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let responder: any Responder
    let workers: WorkerPool
    /// Threads for streamed bodies' producers, one per stream place: a producer waits while its
    /// client is slow, and must never hold a request worker meanwhile.
    let streamWorkers: WorkerPool
    let streamSlots: StreamSlots
    /// Places for pushed bodies (event streams), counted apart: they hold no thread.
    let eventStreamSlots: StreamSlots
    let hooks: ServerHooks
    let openConnections = Atomic<Int>(0)
    let clock: ServerClock

    init(configuration: ServerConfiguration, responder: any Responder, hooks: ServerHooks) {
        self.configuration = configuration
        self.responder = responder
        self.hooks = hooks
        self.clock = configuration.clock
        self.workers = WorkerPool(
            threads: configuration.workerThreads, spareThreads: configuration.spareWorkerThreads)
        self.streamWorkers = WorkerPool(threads: configuration.maxStreams)
        self.streamSlots = StreamSlots(
            maxTotal: configuration.maxStreams, maxPerClient: configuration.maxStreamsPerClient)
        self.eventStreamSlots = StreamSlots(
            maxTotal: configuration.maxEventStreams, maxPerClient: configuration.maxEventStreamsPerClient)
    }
}
