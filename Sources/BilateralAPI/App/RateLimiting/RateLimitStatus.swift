import HTTPCore

/// Whose budget a request spends: its API key's or its address's.
public enum RateLimitScope: UInt8, Sendable, CustomStringConvertible {
    case address
    case key

    /// The `scope` label in metrics.
    public var description: String {
        switch self {
        case .address: "address"
        case .key: "key"
        }
    }
}

/// What the limiter decided about one request.
public enum RateLimitDecision: Sendable, Equatable {
    /// No budget applies (limiting is off, the class has none, or the path is exempt).
    case unlimited
    /// Within budget; the status goes out in the response's headers.
    case admitted(RateLimitStatus)
    /// Over budget: answer 429. `scope` is the budget that ran out (when both did, the one with the
    /// longer wait, or the key on a tie).
    case refused(RateLimitStatus, scope: RateLimitScope)
}

/// A budget's state after a request, as the IETF draft's header fields tell it to the client
/// (draft-ietf-httpapi-ratelimit-headers-11 §3, §4).
public struct RateLimitStatus: Sendable, Equatable {
    public var rateClass: RateLimitClass
    public var budget: RateLimitBudget
    /// Requests left now (`r`): of the tighter of the key's and the address's buckets.
    public var remaining: Int
    /// Seconds until that bucket is full again (`t`); when refused, until one request is allowed.
    public var resetSeconds: Int

    /// `RateLimit-Policy: "writes";q=600;w=60`. §3.1: a String item with the quota `q` and the
    /// window `w`, both Integers, `w` in seconds.
    public var policyField: String {
        "\"\(rateClass)\";q=\(budget.quota);w=\(budget.window)"
    }

    /// `RateLimit: "writes";r=0;t=12`. §4.1: the available quota `r` and the effective window `t`,
    /// non-negative Integers.
    public var limitField: String {
        "\"\(rateClass)\";r=\(remaining);t=\(resetSeconds)"
    }

    /// Adds `RateLimit-Policy` and `RateLimit` to `headers`.
    public func write(to headers: inout HTTPHeaders) {
        headers.set("RateLimit-Policy", policyField)
        headers.set("RateLimit", limitField)
    }

    /// Whole seconds, rounded up: a client that waits this long finds the token back.
    static func seconds(rounding nanoseconds: UInt64) -> Int {
        Int((nanoseconds + 999_999_999) / 1_000_000_000)
    }
}
