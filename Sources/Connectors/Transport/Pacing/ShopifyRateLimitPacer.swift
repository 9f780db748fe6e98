import Foundation

/// Paces requests to Shopify's REST leaky bucket so normal operation never receives a 429.
///
/// Shopify answers every call with `X-Shopify-Shop-Api-Call-Limit: used/size`; the bucket leaks
/// `leakPerSecond` calls a second (2 on Standard plans, 4 Advanced, 20 Plus). The pacer keeps an upper
/// bound of the store's bucket level, in thousandths of a call so the arithmetic is exact:
///
/// - a call in flight counts as one whole call that does not leak yet (the store may receive it late);
/// - a finished call leaks from the moment its answer came back (the store received it earlier);
/// - every header raises the estimate to at least what the store reports (other clients share the bucket).
///
/// Counting this way, the estimate is never below the store's level whatever the network delays, so
/// keeping it at or below `size - headroom` means no 429. The arithmetic is pure — times go in as values
/// and a delay comes out — so it is tested with a simulated clock; ``StoreClient`` does the sleeping.
///
/// ```swift
/// var pacer = ShopifyRateLimitPacer(leakPerSecond: 2)
/// pacer.reserve(nowMilliseconds: t0)        // 0: a slot is taken, send now; n > 0: ask again in n ms
/// pacer.complete(callLimit: "40/40", nowMilliseconds: t1)   // the answer came back: bucket full
/// pacer.reserve(nowMilliseconds: t1)        // 1000: two calls must leak first
/// ```
public struct ShopifyRateLimitPacer: Sendable, Hashable {
    /// Calls the bucket leaks per second.
    public var leakPerSecond: Int
    /// The bucket size; updated from every header.
    public private(set) var bucketSize: Int
    /// Calls kept free as a safety margin (covers rounding in the store's header).
    public var headroom: Int
    /// Calls reserved and not yet completed.
    public private(set) var inFlight = 0
    /// The level of completed calls, in thousandths of a call, at ``settledAtMilliseconds``.
    public private(set) var settledMillicalls: Int64 = 0
    public private(set) var settledAtMilliseconds: Int64 = 0

    /// Creates a pacer; `bucketSize` is corrected by the first header seen.
    public init(leakPerSecond: Int = 2, bucketSize: Int = 40, headroom: Int = 1) {
        precondition(leakPerSecond > 0, "leakPerSecond must be positive")
        self.leakPerSecond = leakPerSecond
        self.bucketSize = max(1, bucketSize)
        self.headroom = max(0, headroom)
    }

    /// The estimated level at `nowMilliseconds`, in calls, rounded up; in-flight calls included.
    public func estimatedLevel(nowMilliseconds: Int64) -> Int {
        Int((settled(at: nowMilliseconds) + Int64(inFlight) * 1000 + 999) / 1000)
    }

    /// Asks to send one call at `now`.
    ///
    /// Returns 0 when the call may go now — it is then counted in flight until ``complete(callLimit:nowMilliseconds:)``
    /// or ``abandon(nowMilliseconds:)``. Otherwise returns the milliseconds to wait before asking again (the
    /// time the bucket needs to leak enough, assuming in-flight calls start leaking now, so never too long).
    public mutating func reserve(nowMilliseconds now: Int64) -> Int64 {
        let level = settled(at: now) + Int64(inFlight) * 1000
        let limit = Int64(max(1, bucketSize - headroom)) * 1000
        if level + 1000 <= limit {
            inFlight += 1
            return 0
        }
        let rate = Int64(leakPerSecond)  // millicalls per millisecond
        return max(1, (level + 1000 - limit + rate - 1) / rate)
    }

    /// Records that a reserved call was answered at `now`, with the answer's `X-Shopify-Shop-Api-Call-Limit`
    /// header (`"32/40"`) if any. An unreadable header only completes the call.
    public mutating func complete(callLimit header: String?, nowMilliseconds now: Int64) {
        settle(to: now)
        if inFlight > 0 { inFlight -= 1 }
        settledMillicalls += 1000
        guard let header, let (used, size) = Self.parse(header) else { return }
        bucketSize = max(1, size)
        settledMillicalls = max(settledMillicalls, Int64(used) * 1000)
    }

    /// Records that a reserved call got no answer (timeout, connection failure); it may still have
    /// reached the store, so it is counted as if answered now.
    public mutating func abandon(nowMilliseconds now: Int64) {
        complete(callLimit: nil, nowMilliseconds: now)
    }

    /// Records a 429 at `now`: the bucket is full whatever the estimate said.
    public mutating func observeRateLimited(nowMilliseconds now: Int64) {
        settle(to: now)
        settledMillicalls = max(settledMillicalls, Int64(bucketSize) * 1000)
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

    private mutating func settle(to now: Int64) {
        settledMillicalls = settled(at: now)
        settledAtMilliseconds = max(settledAtMilliseconds, now)
    }

    private func settled(at t: Int64) -> Int64 {
        guard t > settledAtMilliseconds else { return settledMillicalls }
        let elapsed = t - settledAtMilliseconds
        let rate = Int64(leakPerSecond)
        let drained = elapsed > Int64.max / rate ? Int64.max : elapsed * rate
        return max(0, settledMillicalls - drained)
    }
}
