import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Several independently locked copies of a state; each thread works on a copy of its own,
/// and readers merge them. For hot counters and buffers that every thread touches on every
/// request: with one shared lock, threads queue behind whichever holder the scheduler
/// preempted, which on a 2-core machine costs a whole time slice (milliseconds) of latency.
final class Striped<State: Sendable>: Sendable {
    private final class Stripe: Sendable {
        let mutex: Mutex<State>
        init(_ state: State) { mutex = Mutex(state) }
    }

    private let stripes: [Stripe]

    static var defaultCount: Int { 16 }

    init(count: Int = Striped.defaultCount, _ make: () -> State) {
        stripes = (0..<max(1, count)).map { _ in Stripe(make()) }
    }

    /// Runs `body` on the calling thread's stripe.
    @inline(__always)
    func withLock<T>(_ body: (inout State) -> T) -> T {
        stripes[ThreadSlot.current % stripes.count].mutex.withLock { body(&$0) }
    }

    /// Runs `body` on every stripe in turn.
    func forEach(_ body: (inout State) -> Void) {
        for stripe in stripes { stripe.mutex.withLock { body(&$0) } }
    }
}

/// A small number per thread, handed out in order of first use, so the first threads of the
/// process (I/O queues, workers) each get a stripe of their own instead of a hash that may collide.
enum ThreadSlot {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
    private static let next = Atomic<Int>(1)

    static var current: Int {
        if let value = pthread_getspecific(key) {
            return Int(bitPattern: value) - 1
        }
        let slot = next.wrappingAdd(1, ordering: .relaxed).oldValue
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: slot))
        return slot - 1
    }
}
