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
    public func estimate(_ operation: String) -> Double { learnedEstimate(operation) ?? Self.defaultEstimate }

    /// The requested cost Shopify last reported for `operation`, nil when it was never answered.
    public func learnedEstimate(_ operation: String) -> Double? { estimates[operation] }

    /// Whether a request may be sent now.
    public enum Admission: Sendable, Hashable {
        /// Send it: `reserved` points are held for it until ``complete(_:reserved:cost:throttled:now:)``
        /// or ``abandon(reserved:)``.
        case send(reserved: Double)
        /// Ask again after this many milliseconds.
        case wait(milliseconds: Int64)
    }

    /// Reserves `operation`'s estimated cost when the bucket has it, or says how long to wait.
    public func reserve(_ operation: String, now: Int64) -> Admission {
        let cost = estimate(operation)
        guard let level = level(at: now) else {
            // Nothing known yet: send, and learn the bucket from the answer.
            inFlight += cost
            return .send(reserved: cost)
        }
        let free = level - inFlight
        // A query dearer than the whole bucket goes alone (Shopify answers it with its own error).
        if free >= cost || inFlight == 0 && cost > maximum {
            inFlight += cost
            return .send(reserved: cost)
        }
        return .wait(milliseconds: max(1, Int64(((cost - free) / rate * 1000).rounded(.up))))
    }

    /// Records the answer to a request admitted with `reserved` points: the bucket's reported state,
    /// the operation's requested cost for next time, and whether it was throttled.
    public func complete(_ operation: String, reserved: Double, cost: QueryCost?, throttled: Bool, now: Int64) {
        abandon(reserved: reserved)
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

    /// Releases a reservation (its request got no answer, or its answer was recorded).
    public func abandon(reserved: Double) {
        inFlight = max(0, inFlight - reserved)
        // What is reserved is exactly what requests in flight hold; rounding never leaves a crumb that
        // would hold back every later request.
        if inFlight < 1e-9 { inFlight = 0 }
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
