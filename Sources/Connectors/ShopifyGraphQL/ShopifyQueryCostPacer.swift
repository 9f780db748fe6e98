import SyncCore

/// Paces GraphQL Admin API requests by query cost, from what Shopify reports — never by a
/// configured call rate.
///
/// Shopify keeps a bucket of points per app and shop: each query is charged its requested cost up
/// front (refunded to its actual cost after), and the bucket refills at the plan's restore rate
/// (100 points/s Standard, 200 Advanced, 1,000 Plus, 2,000 Enterprise). Every answer carries the
/// bucket's state in `extensions.cost.throttleStatus`. The pacer keeps a model of that bucket: the
/// last reported level, refilled at the reported rate, minus what requests in flight have reserved.
/// A request waits until its estimated cost is available; its estimate is the requested cost Shopify
/// reported for the same operation last time (``defaultEstimate`` before the first answer).
///
/// One pacer serves every request to one shop, whichever task sends it.
public actor ShopifyQueryCostPacer {
    /// The estimate of an operation not answered yet: a page of 50 objects with a few children.
    public static let defaultEstimate: Double = 60

    /// What the pacer has done, for benchmarks and logs.
    public struct Statistics: Sendable, Hashable {
        /// Points Shopify charged (actual costs).
        public var pointsSpent: Double = 0
        /// Answers that were THROTTLED (waited out and sent again).
        public var throttled = 0
        /// Time spent waiting for the bucket, in milliseconds.
        public var waitedMilliseconds: Int64 = 0
        /// The restore rate Shopify last reported (points/s), nil before the first answer.
        public var restoreRate: Double?
    }

    private var available: Double?
    private var maximum: Double = 0
    private var rate: Double = 0
    private var measuredAt: Int64 = 0
    private var inFlight: Double = 0
    private var estimates: [String: Double] = [:]
    public private(set) var statistics = Statistics()

    public init() {}

    /// The estimated cost of `operation`.
    public func estimate(_ operation: String) -> Double { estimates[operation] ?? Self.defaultEstimate }

    /// Reserves `operation`'s estimated cost when the bucket has it (returns 0), or returns how many
    /// milliseconds to wait before asking again.
    public func reserve(_ operation: String, now: Int64) -> Int64 {
        let cost = estimate(operation)
        guard let level = level(at: now) else {
            // Nothing known yet: send, and learn the bucket from the answer.
            inFlight += cost
            return 0
        }
        let free = level - inFlight
        if free >= cost || inFlight == 0 && cost > maximum {
            inFlight += cost
            return 0
        }
        let wait = Int64(((cost - free) / rate * 1000).rounded(.up))
        return max(1, wait)
    }

    /// Records the answer to a request reserved with ``reserve(_:now:)``: the bucket's reported
    /// state, the operation's requested cost for next time, and whether it was throttled.
    public func complete(_ operation: String, cost: QueryCost?, throttled: Bool, now: Int64) {
        inFlight = max(0, inFlight - estimate(operation))
        if throttled { statistics.throttled += 1 }
        guard let cost else { return }
        estimates[operation] = cost.requested
        if !throttled { statistics.pointsSpent += cost.actual ?? cost.requested }
        available = cost.currentlyAvailable
        maximum = cost.maximumAvailable
        rate = cost.restoreRate
        measuredAt = now
        statistics.restoreRate = cost.restoreRate
    }

    /// Releases a reservation whose request got no answer (a transport failure).
    public func abandon(_ operation: String) {
        inFlight = max(0, inFlight - estimate(operation))
    }

    /// Adds time spent waiting to the statistics.
    public func waited(_ milliseconds: Int64) { statistics.waitedMilliseconds += milliseconds }

    /// The bucket's level now by the model: the last reported level refilled since.
    private func level(at now: Int64) -> Double? {
        guard let available else { return nil }
        let refilled = available + rate * Double(max(0, now - measuredAt)) / 1000
        return min(maximum, refilled)
    }
}
