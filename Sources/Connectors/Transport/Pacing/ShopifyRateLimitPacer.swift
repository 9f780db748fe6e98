import Foundation

/// Paces requests to Shopify's REST leaky bucket so normal operation never receives a 429.
///
/// Shopify answers every call with `X-Shopify-Shop-Api-Call-Limit: used/size`; the bucket leaks
/// `leakPerSecond` calls a second (2 on Standard plans, 4 Advanced, 20 Plus). The pacer keeps an estimate
/// of the bucket level — in thousandths of a call, so the arithmetic is exact — fed by every reservation
/// it hands out and corrected upwards by every header it sees. ``reserve(nowMilliseconds:)`` returns how long
/// to wait before sending so that the level stays at or below `size - headroom`.
///
/// The arithmetic is pure: times go in as values and a delay comes out, so it is tested with a simulated
/// clock. ``StoreClient`` does the sleeping.
///
/// ```swift
/// var pacer = ShopifyRateLimitPacer(leakPerSecond: 2)
/// let wait = pacer.reserve(nowMilliseconds: now)        // 0 while the bucket has room
/// pacer.observe(callLimit: "40/40", nowMilliseconds: now)  // the store says the bucket is full
/// ```
public struct ShopifyRateLimitPacer: Sendable, Hashable {
    /// Calls the bucket leaks per second.
    public var leakPerSecond: Int
    /// The bucket size; updated from every header.
    public private(set) var bucketSize: Int
    /// Calls kept free as a safety margin (covers rounding in the store's header and other clients).
    public var headroom: Int
    /// The estimated level, in thousandths of a call, at ``levelAtMilliseconds``.
    public private(set) var levelMillicalls: Int64 = 0
    /// When ``levelMillicalls`` holds; may be in the future when requests are queued.
    public private(set) var levelAtMilliseconds: Int64 = Int64.min

    /// Creates a pacer; `bucketSize` is corrected by the first header seen.
    public init(leakPerSecond: Int = 2, bucketSize: Int = 40, headroom: Int = 1) {
        precondition(leakPerSecond > 0, "leakPerSecond must be positive")
        self.leakPerSecond = leakPerSecond
        self.bucketSize = max(1, bucketSize)
        self.headroom = max(0, headroom)
    }

    /// The estimated level, in calls (rounded up), at `nowMilliseconds`.
    public func estimatedLevel(nowMilliseconds: Int64) -> Int {
        let level = leaked(to: max(nowMilliseconds, levelAtMilliseconds))
        return Int((level + 999) / 1000)
    }

    /// Reserves one call and returns the milliseconds to wait before sending it (0 if it may go now).
    ///
    /// Successive reservations queue up: the second caller waits for the first one's slot to leak, too.
    public mutating func reserve(nowMilliseconds now: Int64) -> Int64 {
        let start = levelAtMilliseconds == Int64.min ? now : max(now, levelAtMilliseconds)
        var level = leaked(to: start)
        let limit = Int64(max(1, bucketSize - headroom)) * 1000
        var sendAt = start
        if level + 1000 > limit {
            let excess = level + 1000 - limit
            let rate = Int64(leakPerSecond)  // millicalls per millisecond
            let wait = (excess + rate - 1) / rate
            sendAt = start + wait
            level = max(0, level - wait * rate)
        }
        levelMillicalls = level + 1000
        levelAtMilliseconds = sendAt
        return sendAt - now
    }

    /// Corrects the estimate from a response's `X-Shopify-Shop-Api-Call-Limit` (`"32/40"`) seen at `now`.
    ///
    /// The estimate only moves up: the header does not count our requests still in flight, so a lower
    /// value than ours is already accounted for. An absent or unreadable header changes nothing.
    public mutating func observe(callLimit header: String?, nowMilliseconds now: Int64) {
        guard let header, let (used, size) = Self.parse(header) else { return }
        bucketSize = max(1, size)
        let reported = Int64(used) * 1000
        if levelAtMilliseconds == Int64.min {
            levelMillicalls = reported
            levelAtMilliseconds = now
        } else if levelAtMilliseconds > now {
            let projected = max(0, reported - (levelAtMilliseconds - now) * Int64(leakPerSecond))
            levelMillicalls = max(levelMillicalls, projected)
        } else {
            levelMillicalls = max(leaked(to: now), reported)
            levelAtMilliseconds = now
        }
    }

    /// Records a 429 at `now`: the bucket is full whatever the estimate said.
    public mutating func observeRateLimited(nowMilliseconds now: Int64) {
        let full = Int64(bucketSize) * 1000
        if levelAtMilliseconds == Int64.min || levelAtMilliseconds <= now {
            levelMillicalls = full
            levelAtMilliseconds = now
        } else {
            levelMillicalls = max(levelMillicalls, full - (levelAtMilliseconds - now) * Int64(leakPerSecond))
        }
    }

    /// Parses `"used/size"`; `nil` unless both are non-negative integers and size is positive.
    public static func parse(_ header: String) -> (used: Int, size: Int)? {
        let parts = header.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let used = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let size = Int(parts[1].trimmingCharacters(in: .whitespaces)),
              used >= 0, size > 0
        else { return nil }
        return (used, size)
    }

    private func leaked(to t: Int64) -> Int64 {
        guard levelAtMilliseconds != Int64.min, t > levelAtMilliseconds else { return levelMillicalls }
        let elapsed = t - levelAtMilliseconds
        let drained = elapsed > Int64.max / Int64(max(1, leakPerSecond)) ? Int64.max : elapsed * Int64(leakPerSecond)
        return max(0, levelMillicalls - drained)
    }
}
