import SyncEngine

/// How long a store write waits after a transient failure (429, 5xx, timeout, no connection) before
/// the outbox lets it be tried again: exponential in the number of failures, with jitter, capped.
///
/// The store client already retries each request a few times with short waits and honors
/// `Retry-After`; this is the slower, durable layer above it: the attempt count and next attempt time
/// are in the engine's `push_outbox` table, so a restart does not hammer a store that is down.
/// The jitter is derived from the write's idempotency key, so it needs no random source and spreads
/// the writes of one store over the window.
///
/// ```swift
/// let driver = SyncDriver(engine: engine, host: host, endpoints: endpoints, clock: clock, logger: logger,
///                         pushBackoff: .standard)
/// PushBackoff.standard.delayMilliseconds(failures: 3, key: intent.key)   // between 60 s and 120 s
/// ```
public struct PushBackoff: Sendable, Hashable {
    /// The wait after the first failure (before jitter); 0 retries at once (the next projection round).
    public var baseMilliseconds: Int64
    /// The longest wait (before jitter).
    public var maxMilliseconds: Int64

    public init(baseMilliseconds: Int64, maxMilliseconds: Int64) {
        self.baseMilliseconds = max(0, baseMilliseconds)
        self.maxMilliseconds = max(0, maxMilliseconds)
    }

    /// No backoff: a failed write is tried again in the next projection round (library default, for
    /// tests and simulations on manual clocks).
    public static let none = PushBackoff(baseMilliseconds: 0, maxMilliseconds: 0)
    /// 30 s after the first failure, doubling, at most an hour (`run` and `sync --once`).
    public static let standard = PushBackoff(baseMilliseconds: 30_000, maxMilliseconds: 3_600_000)

    /// The wait after the `failures`-th transient failure of the write with idempotency key `key`:
    /// `min(base · 2^(failures−1), max)`, jittered into its upper half.
    public func delayMilliseconds(failures: Int, key: String) -> Int64 {
        guard baseMilliseconds > 0 else { return 0 }
        let shift = min(max(0, failures - 1), 40)
        let raw = baseMilliseconds > (Int64.max >> shift) ? Int64.max : baseMilliseconds << shift
        let capped = min(raw, maxMilliseconds)
        guard capped > 1 else { return capped }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in "\(key)#\(failures)".utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        let half = capped / 2
        return half + Int64(hash % UInt64(capped - half + 1))
    }
}
