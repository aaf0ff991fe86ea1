import Synchronization

/// Request ids: a random per-process prefix and a counter, so ids are unique across restarts
/// and cost one atomic increment.
public final class RequestIDGenerator: Sendable {
    public static let shared = RequestIDGenerator()

    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    public init() {
        // SystemRandomNumberGenerator reads the kernel's CSPRNG (getrandom).
        let random = UInt64.random(in: 1...UInt64.max)
        let hex = String(random, radix: 16)
        prefix = String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `3f2a9c0d1e4b5a67-0000001a`
    public func next() -> String {
        let value = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let hex = String(value, radix: 16)
        return prefix + "-" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }
}
