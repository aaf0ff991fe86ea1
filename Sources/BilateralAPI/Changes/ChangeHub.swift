import Dispatch
import HTTPCore
import Storage
import Synchronization

/// Feeds every open change stream (`GET /v1/changes/stream`) from one serial queue, holding no
/// thread per client: each subscriber is a position in the feed and a ``PushStream``. When the
/// feed may have grown — a write through this node (``changed()``), a notification from another
/// node (PostgreSQL's `LISTEN`), or the poll that backs both up — the queue reads the clock, and
/// for the subscribers behind it reads each distinct (position, types) once, a page at a time,
/// and sends the page to all of them. A subscriber whose client reads slowly is skipped while its
/// connection holds a high-water mark of unwritten bytes, and caught up from its position later:
/// nothing is dropped, nothing sent twice.
final class ChangeHub: @unchecked Sendable {
    // @unchecked: `timer` (a Dispatch source, safe to use from any thread) is the only stored
    // property that is not Sendable; the rest is `let` or inside `state`.
    struct Subscriber {
        let stream: PushStream
        let types: Set<String>
        var position: Int
        /// When something (an event or a heartbeat) was last sent, on `DispatchTime`'s clock.
        var lastSent: UInt64
        /// Under `--private`: the stream's credentials, and whether they still read (a revoked
        /// key's stream ends), asked before each page of changes is sent, once per credentials.
        let recheck: Recheck?
    }

    /// A stream's credentials (the `Authorization` field), and their check.
    struct Recheck: Sendable {
        let credentials: String
        let check: @Sendable () -> HTTPError?
    }

    private struct State {
        var subscribers: [Subscriber] = []
        var pumpQueued = false
        var watching = false
        var listener: (any StoreListener)?
        var stopped = false
    }

    private let store: any DatabaseStore
    private let queue = DispatchQueue(label: "bilateral.changes")
    private let state = Mutex(State())
    private let timer: any DispatchSourceTimer
    /// Changes read at a time for one group of subscribers.
    let pageSize: Int
    /// How often the queue looks at the clock without being told (another process's write on
    /// SQLite, a lost notification on PostgreSQL), in milliseconds.
    let pollMilliseconds: Int
    /// A comment line goes to a subscriber that has been sent nothing for this long.
    let heartbeatNanoseconds: UInt64

    /// Prunes the feed every minute, when it does not keep everything.
    private let pruner: (any DispatchSourceTimer)?

    init(
        store: any DatabaseStore, retention: ChangeRetention = ChangeRetention(), pageSize: Int = 200,
        pollMilliseconds: Int = 250, heartbeatSeconds: Int = 15
    ) {
        self.store = store
        self.pageSize = pageSize
        self.pollMilliseconds = pollMilliseconds
        self.heartbeatNanoseconds = UInt64(heartbeatSeconds) * 1_000_000_000
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .milliseconds(pollMilliseconds), repeating: .milliseconds(pollMilliseconds))
        if retention.keepsAll {
            pruner = nil
        } else {
            let pruner = DispatchSource.makeTimerSource(queue: queue)
            pruner.schedule(deadline: .now(), repeating: .seconds(60))
            pruner.setEventHandler {
                // A failure (the database away) is tried again next minute.
                _ = try? retention.prune(store, now: WallClock.secondsSinceEpoch())
            }
            pruner.resume()
            self.pruner = pruner
        }
        timer.setEventHandler { [weak self] in self?.changed() }
    }

    deinit {
        // libdispatch crashes when a source that was never resumed is released ("Release of an
        // inactive object"): a hub that never had a subscriber (every app in a test) ends here.
        let (watching, listener) = state.withLock { ($0.watching, $0.listener) }
        if !watching { timer.resume() }
        timer.cancel()
        pruner?.cancel()
        // Not waited for here: the last release may happen on the listener's own thread (inside
        // its handler), and `stop()` waits for that thread to end.
        if let listener { DispatchQueue.global().async { listener.stop() } }
    }

    /// The channel `change_clock`'s trigger notifies on PostgreSQL (`PostgresChangeSchema`).
    static let channel = "bilateral_changes"

    /// Adds a subscriber at `position`; it is sent every change after it, then each new one.
    func subscribe(
        _ stream: PushStream, types: Set<String>, after position: Int, recheck: Recheck? = nil
    ) {
        // The head of the body goes out at once: a proxy or a browser sees the stream open.
        stream.send(Array(": stream open\n\n".utf8))
        let start = state.withLock { state -> Bool in
            state.subscribers.append(
                Subscriber(
                    stream: stream, types: types, position: position, lastSent: DispatchTime.now().uptimeNanoseconds,
                    recheck: recheck))
            return !state.watching && !state.stopped
        }
        if start { startWatching() }
        changed()
    }

    /// The feed may have grown: the queue looks soon (calls that arrive meanwhile are one look).
    func changed() {
        let queued = state.withLock { state -> Bool in
            if state.pumpQueued || state.stopped { return false }
            state.pumpQueued = true
            return true
        }
        if queued { queue.async { self.pump() } }
    }

    /// Ends every stream cleanly and stops watching (server shutdown).
    func stop() {
        let (subscribers, watching, listener) = state.withLock { state in
            defer {
                state.stopped = true
                state.subscribers = []
                state.listener = nil
            }
            return (state.subscribers, state.watching && !state.stopped, state.listener)
        }
        if watching { timer.cancel() }
        pruner?.cancel()
        listener?.stop()
        for subscriber in subscribers { subscriber.stream.finish() }
    }

    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Starts the poll, and the listener where the store has one, with the first subscriber.
    private func startWatching() {
        let listener = store.listen(to: Self.channel) { [weak self] in self?.changed() }
        let start = state.withLock { state -> Bool in
            guard !state.watching, !state.stopped else { return false }
            state.watching = true
            state.listener = listener
            return true
        }
        if start {
            timer.resume()
        } else {
            listener?.stop()
        }
    }

    /// On `queue`: sends each subscriber what it lacks, as far as its connection has room.
    private func pump() {
        var subscribers = state.withLock { state -> [Subscriber] in
            state.pumpQueued = false
            state.subscribers.removeAll { !$0.stream.isOpen }
            return state.subscribers
        }
        guard !subscribers.isEmpty else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        var again = false
        // Each distinct credentials are checked once per look, however many streams use them.
        var verdicts: [String: HTTPError?] = [:]
        do {
            let head = try store.read { db in try ChangeFeed.Clock.read(in: db) }
            // Subscribers at the same place wanting the same types share one read.
            var groups: [GroupKey: [Int]] = [:]
            for (index, subscriber) in subscribers.enumerated()
            where subscriber.position < head.lastSeq && subscriber.stream.hasRoom {
                groups[GroupKey(position: subscriber.position, types: subscriber.types), default: []].append(index)
            }
            for (key, members) in groups {
                let events: [UInt8]
                let next: Int
                do {
                    let page = try store.read { db in
                        try ChangeFeed.read(
                            .init(since: key.position, types: key.types, limit: pageSize, includeRecord: true), in: db)
                    }
                    events = Self.events(page)
                    next = page.nextSince
                    if page.changes.count == pageSize { again = true }
                } catch let error as HTTPError {
                    // Pruned past these subscribers while they read (410): say so, and end.
                    for index in members {
                        subscribers[index].stream.send(Self.errorEvent(error))
                        subscribers[index].stream.finish()
                    }
                    continue
                }
                for index in members {
                    if !events.isEmpty, let recheck = subscribers[index].recheck {
                        let verdict = verdicts[recheck.credentials] ?? recheck.check()
                        verdicts[recheck.credentials] = .some(verdict)
                        if let refusal = verdict {
                            subscribers[index].stream.send(Self.errorEvent(refusal))
                            subscribers[index].stream.finish()
                            continue
                        }
                    }
                    if !events.isEmpty { subscribers[index].stream.send(events) }
                    subscribers[index].position = next
                    subscribers[index].lastSent = now
                }
            }
        } catch {
            // The database is away: the next poll tries again; heartbeats keep the streams open.
        }
        for index in subscribers.indices where now &- subscribers[index].lastSent >= heartbeatNanoseconds {
            subscribers[index].stream.send(Array(": heartbeat\n\n".utf8))
            subscribers[index].lastSent = now
        }
        // Positions move forward only; subscribers that arrived meanwhile keep theirs.
        state.withLock { state in
            for subscriber in subscribers {
                guard let index = state.subscribers.firstIndex(where: { $0.stream === subscriber.stream }) else {
                    continue
                }
                state.subscribers[index].position = subscriber.position
                state.subscribers[index].lastSent = subscriber.lastSent
            }
        }
        if again { changed() }
    }

    private struct GroupKey: Hashable {
        let position: Int
        let types: Set<String>
    }

    /// The page as Server-Sent Events: `id` is the seq, so a client's `Last-Event-ID` resumes.
    static func events(_ page: ChangeFeed.Page) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(page.changes.reduce(0) { $0 + $1.count + 40 })
        for (change, seq) in zip(page.changes, page.sequence) {
            bytes += Array("id: \(seq)\nevent: change\ndata: ".utf8)
            bytes += change
            bytes += [0x0A, 0x0A]
        }
        return bytes
    }

    /// An `error` event carrying the problem, before the stream ends.
    static func errorEvent(_ error: HTTPError) -> [UInt8] {
        Array("event: error\ndata: ".utf8) + error.problem.jsonBytes() + [0x0A, 0x0A]
    }
}
