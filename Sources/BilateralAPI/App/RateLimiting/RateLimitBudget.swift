/// A quota of `quota` requests per `window` seconds, as a token bucket: it holds up to `quota`
/// tokens (the burst), starts full, and refills continuously at `quota / window` per second.
/// This is the IETF draft's quota policy (`q` and `w` of `RateLimit-Policy`).
public struct RateLimitBudget: Sendable, Equatable, CustomStringConvertible {
    /// Requests per window, and the most a client may send at once.
    public var quota: Int
    /// The window in seconds.
    public var window: Int

    /// - Precondition: both at least 1.
    public init(quota: Int, window: Int) {
        precondition(quota >= 1 && window >= 1, "a budget needs a quota and a window of at least 1")
        self.quota = quota
        self.window = window
    }

    /// Nanoseconds between two tokens: one request's worth of refill. At least 1.
    var interval: UInt64 {
        max(1, UInt64(window) &* 1_000_000_000 / UInt64(quota))
    }

    /// `600/60s`.
    public var description: String { "\(quota)/\(window)s" }

    /// Parses `QUOTA/WINDOW`, the window in seconds or with a unit (`600/60`, `600/60s`,
    /// `1000000/1h`, `100/1d`); `off` (or `0`) means no budget at all.
    /// - Returns: `.some(nil)` for off, nil when the text does not parse.
    public static func parse(_ text: String) -> RateLimitBudget?? {
        let trimmed = text.trimmingHTTPWhitespace().lowercased()
        if trimmed == "off" || trimmed == "0" || trimmed == "none" { return .some(nil) }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let quota = Int(parts[0]), quota >= 1, quota <= 1_000_000_000 else { return nil }
        var windowText = parts[1]
        var unit = 1
        switch windowText.last {
        case "s": unit = 1
        case "m": unit = 60
        case "h": unit = 3600
        case "d": unit = 86_400
        default: unit = 0
        }
        if unit != 0 { windowText = windowText.dropLast() } else { unit = 1 }
        guard let count = Int(windowText), count >= 1, count <= 366 * 86_400 / unit else { return nil }
        return .some(RateLimitBudget(quota: quota, window: count * unit))
    }
}
