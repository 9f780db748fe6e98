/// The leaky bucket of GraphQL cost points for one shop, on the emulator's clock.
///
/// Full at `maximumAvailable`; a request takes its requested cost up front and gets back the
/// difference to its actual cost; points come back at `restoreRate` per second. Kept in
/// thousandths of a point so a few milliseconds of restore are not lost to rounding.
struct ShopifyCostBucket: Sendable {
    let maximumAvailable: Int
    let restoreRate: Int
    private var availableMilli: Int64
    private var updatedAt: Int64?

    init(maximumAvailable: Int, restoreRate: Int) {
        self.maximumAvailable = maximumAvailable
        self.restoreRate = restoreRate
        availableMilli = Int64(maximumAvailable) * 1000
    }

    /// Restores what the time since the last update gives back (never past the maximum).
    mutating func restore(to now: Int64) {
        if let last = updatedAt, now > last {
            availableMilli = min(Int64(maximumAvailable) * 1000, availableMilli + (now - last) * Int64(restoreRate))
        }
        updatedAt = max(updatedAt ?? now, now)
    }

    /// Whole points available now (`throttleStatus.currentlyAvailable`).
    var currentlyAvailable: Int { Int(availableMilli / 1000) }

    /// Takes `cost` points, or returns `false` and takes nothing when fewer are available.
    mutating func take(_ cost: Int) -> Bool {
        guard Int64(cost) * 1000 <= availableMilli else { return false }
        availableMilli -= Int64(cost) * 1000
        return true
    }

    /// Gives back points charged but not spent.
    mutating func refund(_ points: Int) {
        availableMilli = min(Int64(maximumAvailable) * 1000, availableMilli + Int64(max(0, points)) * 1000)
    }
}

/// Shopify's plans and their GraphQL restore rates (points per second), for the configuration.
public enum ShopifyGraphQLPlan: Sendable {
    case standard, advanced, plus, enterprise

    /// The restore rate Shopify documents for the plan.
    public var restoreRate: Int {
        switch self {
        case .standard: return 100
        case .advanced: return 200
        case .plus: return 1_000
        case .enterprise: return 2_000
        }
    }
}
