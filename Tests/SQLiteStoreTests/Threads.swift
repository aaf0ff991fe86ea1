import Dispatch
import Synchronization

/// Runs each body on its own thread and waits for all of them; returns the errors they threw.
func runOnThreads(_ bodies: [@Sendable () throws -> Void]) -> [String] {
    let errors = Mutex<[String]>([])
    let group = DispatchGroup()
    for body in bodies {
        Thread.detach(group: group) {
            do {
                try body()
            } catch {
                errors.withLock { $0.append(String(describing: error)) }
            }
        }
    }
    group.wait()
    return errors.withLock { $0 }
}

/// A dedicated thread rather than a Dispatch worker, so that many blocking bodies cannot exhaust a
/// shared pool of workers.
enum Thread {
    static func detach(group: DispatchGroup? = nil, _ body: @escaping @Sendable () -> Void) {
        group?.enter()
        let queue = DispatchQueue(label: "sqlitestore-test-thread")
        queue.async {
            body()
            group?.leave()
        }
    }
}
