import Dispatch
import Glibc
import Synchronization

/// Where access-log lines go: a buffer flushed to a file descriptor (stderr) or a closure by a
/// background timer every `flushInterval`, or sooner once 64 KiB are waiting.
///
/// Appending costs one short lock and a copy; the write happens on the log's own queue, so a
/// request thread never blocks on stderr. If the output stalls, at most `maxBufferedBytes` are
/// kept; further lines are dropped and counted, and a warning line says how many.
/// Call `flush()` at shutdown.
public final class AccessLog: Sendable {
    /// Flush once this many bytes are waiting, without waiting for the timer.
    public static let flushThreshold = 64 * 1024
    /// The most bytes held while the output cannot keep up.
    public static let maxBufferedBytes = 8 * 1024 * 1024

    private struct State {
        var buffer: [UInt8] = []
        var flushScheduled = false
        var droppedLines = 0
    }

    /// Lines go to the calling thread's stripe, so workers do not queue on one lock; a flush
    /// takes every stripe, so lines of different threads may come out of order within one flush.
    private let state = Striped { State() }
    /// The buffered-bytes cap, shared out among the stripes.
    private let perStripeLimit = AccessLog.maxBufferedBytes / Striped<State>.defaultCount
    /// Held while writing, so buffers reach the output in the order they were filled.
    private let writeLock = Mutex(())
    private let output: @Sendable ([UInt8]) -> Void
    private let queue = DispatchQueue(label: "bilateral.access-log")
    /// Dispatch sources are not Sendable; this one is only touched in init and deinit, and the
    /// mutex makes that checkable.
    private let timer: Mutex<any DispatchSourceTimer>

    /// A log that hands each flushed batch of newline-terminated lines to `output`.
    /// - Parameter flushInterval: how often waiting lines are flushed; `.never` for manual flushing.
    public init(
        flushInterval: DispatchTimeInterval = .milliseconds(200), output: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.output = output
        let source = DispatchSource.makeTimerSource(queue: queue)
        if flushInterval != .never {
            source.schedule(deadline: .now() + flushInterval, repeating: flushInterval, leeway: .milliseconds(20))
        }
        timer = Mutex(source)
        timer.withLock { source in
            source.setEventHandler { [weak self] in self?.flush() }
            source.resume()
        }
    }

    /// A log that writes to `fileDescriptor` (stderr by default). The descriptor is not closed.
    public convenience init(
        fileDescriptor: Int32 = STDERR_FILENO, flushInterval: DispatchTimeInterval = .milliseconds(200)
    ) {
        self.init(flushInterval: flushInterval) { bytes in AccessLog.writeAll(bytes, to: fileDescriptor) }
    }

    deinit {
        timer.withLock { $0.cancel() }
        flush()
    }

    /// Queues one line (without its newline).
    public func append(_ line: [UInt8]) {
        let scheduleFlush = state.withLock { state -> Bool in
            guard state.buffer.count + line.count < perStripeLimit else {
                state.droppedLines += 1
                return false
            }
            state.buffer.append(contentsOf: line)
            state.buffer.append(UInt8(ascii: "\n"))
            guard state.buffer.count >= AccessLog.flushThreshold, !state.flushScheduled else { return false }
            state.flushScheduled = true
            return true
        }
        if scheduleFlush {
            queue.async { [weak self] in self?.flush() }
        }
    }

    /// Writes everything queued so far, on the calling thread.
    public func flush() {
        writeLock.withLock { _ in
            // Under each stripe's lock only swap buffers (O(1), no allocation): a flusher preempted
            // while copying under a lock would stall a request thread for a whole time slice.
            var taken: [[UInt8]] = []
            var dropped = 0
            state.forEach { state in
                var buffer: [UInt8] = []
                swap(&buffer, &state.buffer)
                taken.append(buffer)
                dropped += state.droppedLines
                state.droppedLines = 0
                state.flushScheduled = false
            }
            var bytes = taken.count == 1 ? taken[0] : taken.flatMap { $0 }
            if dropped > 0 {
                var line = JSONWriter(reservingCapacity: 128)
                line.beginObject()
                line.key("ts")
                line.string(WallClock.nowRFC3339())
                line.key("level")
                line.string("warn")
                line.key("message")
                line.string("access log output could not keep up; lines dropped")
                line.key("dropped")
                line.int(dropped)
                line.endObject()
                bytes.append(contentsOf: line.bytes)
                bytes.append(UInt8(ascii: "\n"))
                dropped = 0
            }
            if !bytes.isEmpty { output(bytes) }
        }
    }

    /// Writes all of `bytes`, retrying after signals and short writes; gives up on other errors
    /// (a closed stderr must not take the server down).
    static func writeAll(_ bytes: [UInt8], to fileDescriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(fileDescriptor, base + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
