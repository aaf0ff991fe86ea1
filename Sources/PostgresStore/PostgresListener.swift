import CLibPQ
import Foundation
import Storage
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `LISTEN channel` on a connection of its own, waited on by a thread of its own: each time
/// notifications arrive, the handler is called once for all of them. A lost connection is opened
/// again a second later, and the handler is called once it listens again, since notifications
/// sent meanwhile are lost.
final class PostgresListener: StoreListener, @unchecked Sendable {
    // @unchecked: `database` is used only by the listening thread; `stopped` is atomic.
    private let database: PostgresDatabase
    private let channel: String
    private let handler: @Sendable () -> Void
    private let stopped = Atomic(false)
    private let finished = DispatchSemaphore(value: 0)

    /// How long one wait lasts before the thread looks at `stopped` again.
    static let waitMilliseconds: Int32 = 200

    init(url: String, configuration: PostgresConfiguration, channel: String, handler: @escaping @Sendable () -> Void) {
        database = PostgresDatabase(unconnected: url, configuration: configuration)
        self.channel = channel
        self.handler = handler
        let thread = Thread { [self] in run() }
        thread.name = "bilateral-listen"
        thread.start()
    }

    func stop() {
        guard !stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
        finished.wait()
    }

    private func run() {
        defer {
            database.close()
            finished.signal()
        }
        var listening = false
        while !stopped.load(ordering: .sequentiallyConsistent) {
            do {
                if !listening {
                    try database.reconnectIfNeeded()
                    try database.execute("LISTEN \"\(channel.replacingOccurrences(of: "\"", with: "\"\""))\"")
                    listening = true
                    handler()
                }
                if try waitForNotifications() { handler() }
            } catch {
                listening = false
                // The server is away: try again in a second, looking at `stopped` meanwhile.
                for _ in 0..<5 where !stopped.load(ordering: .sequentiallyConsistent) {
                    usleep(UInt32(Self.waitMilliseconds) * 1000)
                }
            }
        }
    }

    /// Waits a while for the connection's socket, then reads what arrived.
    /// - Returns: Whether a notification arrived.
    /// - Throws: when the connection is lost.
    private func waitForNotifications() throws -> Bool {
        let connection = try database.liveConnection(nil)
        var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        guard descriptor.fd >= 0 else { throw PostgresError(kind: .unavailable, message: "no socket") }
        let ready = poll(&descriptor, 1, Self.waitMilliseconds)
        guard ready > 0 else { return false }
        guard PQconsumeInput(connection) != 0, PQstatus(connection) == CONNECTION_OK else {
            throw PostgresError(kind: .unavailable, message: "the connection to the server was lost")
        }
        var notified = false
        while let notification = PQnotifies(connection) {
            PQfreemem(notification)
            notified = true
        }
        return notified
    }
}
