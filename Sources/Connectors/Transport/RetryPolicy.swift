import SyncCore

/// Bounded, jittered exponential backoff for retryable store failures (429, 5xx, timeouts, connection errors).
///
/// The n-th retry waits a uniform draw from `[d/2, d]` where `d = min(maxDelay, baseDelay · 2^(n-1))`
/// ("equal jitter": never zero, so a flapping store is not hammered; spread, so clients do not retry in
/// lockstep). A `Retry-After` from the store replaces the backoff, capped at `maxRetryAfterMilliseconds`.
/// Jitter comes from an injected ``SeededRandom``.
///
/// ```swift
/// let policy = RetryPolicy(maxAttempts: 4, baseDelayMilliseconds: 250, maxDelayMilliseconds: 8_000)
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// Total attempts, the first included (1 = never retry).
    public var maxAttempts: Int
    /// The backoff before the first retry (before jitter).
    public var baseDelayMilliseconds: Int64
    /// The largest backoff (before jitter).
    public var maxDelayMilliseconds: Int64
    /// The longest `Retry-After` honored; longer requests are waited for this long instead.
    public var maxRetryAfterMilliseconds: Int64

    public init(maxAttempts: Int = 5, baseDelayMilliseconds: Int64 = 500, maxDelayMilliseconds: Int64 = 30_000, maxRetryAfterMilliseconds: Int64 = 120_000) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelayMilliseconds = max(0, baseDelayMilliseconds)
        self.maxDelayMilliseconds = max(0, maxDelayMilliseconds)
        self.maxRetryAfterMilliseconds = max(0, maxRetryAfterMilliseconds)
    }

    /// Never retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The jittered backoff before retry number `retry` (1 for the first retry).
    public func backoffMilliseconds(retry: Int, random: inout SeededRandom) -> Int64 {
        let shift = min(max(0, retry - 1), 40)
        let raw = baseDelayMilliseconds > (Int64.max >> shift) ? Int64.max : baseDelayMilliseconds << shift
        let capped = min(raw, maxDelayMilliseconds)
        guard capped > 1 else { return capped }
        let half = capped / 2
        return half + Int64(random.next() % UInt64(capped - half + 1))
    }

    /// The wait before retry number `retry` after `error`: its `Retry-After` if any, else the backoff.
    public func delayMilliseconds(after error: StoreAPIError, retry: Int, random: inout SeededRandom) -> Int64 {
        if let asked = error.retryAfterMilliseconds {
            return min(max(0, asked), maxRetryAfterMilliseconds)
        }
        return backoffMilliseconds(retry: retry, random: &random)
    }
}
