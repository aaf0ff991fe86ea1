import Dispatch
import Storage
import Synchronization

/// Runs each body on its own thread, then `meanwhile` on the calling thread, and waits for all of
/// them; returns the errors they threw.
func runOnThreads(
    _ bodies: [@Sendable () throws -> Void], meanwhile: () throws -> Void = {}
) -> [any Error] {
    let errors = Mutex<[any Error]>([])
    let group = DispatchGroup()
    for (index, body) in bodies.enumerated() {
        group.enter()
        // A queue of its own per body: blocking bodies must not wait for a shared worker.
        DispatchQueue(label: "postgresstore-test-thread-\(index)").async {
            do {
                try body()
            } catch {
                errors.withLock { $0.append(error) }
            }
            group.leave()
        }
    }
    do {
        try meanwhile()
    } catch {
        errors.withLock { $0.append(error) }
    }
    group.wait()
    return errors.withLock { $0 }
}

/// The kind of a store error, or nil for anything else.
func kind(of error: any Error) -> DatabaseErrorKind? {
    (error as? any DatabaseError)?.kind
}
