import Synchronization

/// How long the pool's callers waited for a connection and how long they held it, as fixed-bucket
/// histograms a metrics endpoint can render (Prometheus `le` buckets).
///
/// Four series: waiting for a reader, a read transaction, waiting for the writer (queued behind
/// other writes), a write transaction to its commit. Recording takes one lock and allocates
/// nothing; the buckets never change.
public final class DatabaseTimings: Sendable {
    /// Upper bounds in seconds, from 50 µs to 10 s: a read of one record takes tens of
    /// microseconds, an fsync'd commit about a millisecond, an import seconds.
    public static let bounds: [Double] = [
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10,
    ]

    /// What was timed.
    public enum Phase: Int, CaseIterable, Sendable {
        /// Waiting for a reader connection to be free.
        case readerWait
        /// A read transaction, from `BEGIN` to its end.
        case read
        /// Waiting for the writer: behind the write in progress and the writes queued before.
        case writerWait
        /// A write transaction (or a group of them, committed together), to its commit.
        case write
    }

    /// One phase's observations.
    public struct Histogram: Sendable, Equatable {
        /// Per-bucket (not cumulative) counts, one per bound and a last one for `+Inf`.
        public var counts: [UInt64]
        /// The sum of every observation, in seconds.
        public var sum: Double = 0
        /// How many observations.
        public var count: UInt64 = 0

        init() { counts = Array(repeating: 0, count: DatabaseTimings.bounds.count + 1) }

        mutating func observe(_ seconds: Double) {
            let index = DatabaseTimings.bounds.firstIndex(where: { seconds <= $0 }) ?? DatabaseTimings.bounds.count
            counts[index] += 1
            sum += seconds
            count += 1
        }
    }

    private let histograms = Mutex<[Histogram]>(Array(repeating: Histogram(), count: Phase.allCases.count))

    public init() {}

    /// Records a wait and the transaction that followed it.
    public func record(wait: Phase, _ waited: Duration, hold: Phase, _ held: Duration) {
        let waitSeconds = Self.seconds(waited)
        let holdSeconds = Self.seconds(held)
        histograms.withLock { histograms in
            histograms[wait.rawValue].observe(waitSeconds)
            histograms[hold.rawValue].observe(holdSeconds)
        }
    }

    /// A copy of every phase's histogram, indexed by `Phase.rawValue`.
    public func snapshot() -> [Histogram] { histograms.withLock { $0 } }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
