import Synchronization

/// Makes request ids that are unique within a process and, with overwhelming probability, across
/// processes and restarts: 16 hex digits drawn once from the system RNG, a dash, and a counter.
/// One atomic increment per id.
public final class RequestIDGenerator: Sendable {
    /// The generator the middleware and the server share.
    public static let shared = RequestIDGenerator()

    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    public init() {
        var generator = SystemRandomNumberGenerator()
        prefix = RequestIDGenerator.hex(generator.next(), width: 16)
    }

    /// A fresh id such as `9f3c0a7e51b2d846-1a`.
    public func next() -> String {
        let number = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix + "-" + String(number, radix: 16)
    }

    /// Whether a client-supplied id is safe to adopt and echo: 1–128 characters of
    /// `[A-Za-z0-9._:-]`, so it cannot smuggle header syntax, log injection or huge values.
    public static func isSane(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= 128 else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
                UInt8(ascii: "-"):
                true
            default: false
            }
        }
    }

    private static func hex(_ value: UInt64, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
