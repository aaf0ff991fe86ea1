import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Several independently locked copies of a state; each thread works on the copy its id hashes
/// to, and readers merge them. For hot counters and buffers that every worker touches on
/// every request: one shared lock there makes threads queue behind whichever one the
/// scheduler preempted while holding it.
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
        // pthread_t is the thread's control block address: mix its bits to pick a stripe.
        let id = UInt64(UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))))
        let index = Int(truncatingIfNeeded: ((id >> 6) &* 0x9E37_79B9_7F4A_7C15) >> 32) % stripes.count
        return stripes[index].mutex.withLock { body(&$0) }
    }

    /// Runs `body` on every stripe in turn.
    func forEach(_ body: (inout State) -> Void) {
        for stripe in stripes { stripe.mutex.withLock { body(&$0) } }
    }
}
