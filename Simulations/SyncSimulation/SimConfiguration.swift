import SyncCore

/// What one seed runs: its stores, sizes, op mix and fault probabilities (swarm testing: every seed
/// picks its own, so some seeds hammer one feature while others never touch it).
public struct SimConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of the connected stores, in link order (`shop1`, `woo1`, …).
    public var stores: [StoreKind]
    /// Number of ops generated.
    public var opCount: Int
    /// Distinct contact e-mails and product SKUs the ops draw from.
    public var contactKeys: Int
    public var productKeys: Int
    /// Relative weights of op families.
    public var weightStoreEdit: Int
    public var weightLedgerEdit: Int
    public var weightCreate: Int
    public var weightDelete: Int
    public var weightInvalid: Int
    public var weightPass: Int
    /// Store orders (place, pay, fulfil, cancel, refund) and Oorden note edits of imported orders.
    public var weightOrder: Int
    /// Stock changes: store adjustments, Oorden purchases, adjustments and sales.
    public var weightStock: Int
    /// Probability that an op is preceded by an HTTP fault burst, a crash point, a clock jump.
    public var httpFaultProbability: Double
    public var crashProbability: Double
    public var clockJumpProbability: Double
    /// Probability that an op is preceded by an "applied, then 502/503/504" fault on a store's next writes.
    public var appliedThenFailProbability: Double = 0
    /// Whether the Oorden host's batches are one ledger transaction shared with the engine's (what
    /// production runs with ``OordenLedgerHost``) or each host call commits on its own (a host
    /// without atomic batches).
    public var atomicHostBatches = true
    /// Whether the Shopify stores are reached through the GraphQL Admin API (``ShopifyGraphQLPlatform``,
    /// the default for `kind: shopify`) or REST, drawn per seed so both run the swarm.
    public var shopifyGraphQL = false
    /// Whether the Shopify stores sign in as Dev Dashboard apps (the client-credentials grant) with
    /// tokens that expire after ``shopifyTokenLifetimeSeconds`` of store time, renewed mid-run.
    public var shopifyTokenGrant = false
    public var shopifyTokenLifetimeSeconds: Int64 = 600
    /// Probability that an Oorden user's field edit is followed by the ledger's clock stepping back
    /// (1 s to 3 min) and a second edit of the same field (``SimOp/ledgerClockBack(milliseconds:)``).
    public var ledgerClockBackProbability: Double = 0
    /// Each store's clock skew (milliseconds, within ±2 minutes).
    public var skews: [Int64]
    /// Whether the stores send webhooks (delivered through the daemon's inbox between passes).
    public var webhooks: Bool
    /// Probabilities that a webhook delivery is dropped, duplicated, delayed to a later delivery
    /// round, and that a round's deliveries arrive shuffled.
    public var webhookDropProbability: Double
    public var webhookDuplicateProbability: Double
    public var webhookDelayProbability: Double
    public var webhookReorderProbability: Double

    /// The configuration a seed picks.
    public static func pick(seed: UInt64, small: Bool = false) -> SimConfiguration {
        var r = SeededRandom(seed: seed ^ 0x5EED_C0F1_6000_0001)
        let storeCount = Int.random(in: 1...3, using: &r)
        let stores: [StoreKind] = (0..<storeCount).map { _ in Bool.random(using: &r) ? .shopify : .woocommerce }
        func p(_ max: Double) -> Double { Bool.random(using: &r) ? 0 : Double.random(in: 0...max, using: &r) }
        var c = SimConfiguration(
            stores: stores,
            opCount: small ? Int.random(in: 15...40, using: &r) : Int.random(in: 40...160, using: &r),
            contactKeys: Int.random(in: 2...(small ? 6 : 14), using: &r),
            productKeys: Int.random(in: 1...(small ? 4 : 10), using: &r),
            weightStoreEdit: Int.random(in: 1...10, using: &r),
            weightLedgerEdit: Int.random(in: 1...10, using: &r),
            weightCreate: Int.random(in: 2...8, using: &r),
            weightDelete: Int.random(in: 0...2, using: &r),
            weightInvalid: Int.random(in: 0...2, using: &r),
            weightPass: Int.random(in: 1...6, using: &r),
            weightOrder: Int.random(in: 0...8, using: &r),
            weightStock: Int.random(in: 0...6, using: &r),
            httpFaultProbability: p(0.3),
            crashProbability: p(0.15),
            clockJumpProbability: p(0.1),
            skews: stores.map { _ in Int64.random(in: -120_000...120_000, using: &r) },
            webhooks: Bool.random(using: &r),
            webhookDropProbability: p(0.3),
            webhookDuplicateProbability: p(0.3),
            webhookDelayProbability: p(0.3),
            webhookReorderProbability: p(0.5))
        // Drawn last, so the draws above give every seed the configuration it had before this fault.
        c.appliedThenFailProbability = p(0.2)
        c.atomicHostBatches = Bool.random(using: &r)
        c.ledgerClockBackProbability = p(0.6)
        c.shopifyGraphQL = Bool.random(using: &r)
        c.shopifyTokenGrant = Bool.random(using: &r)
        c.shopifyTokenLifetimeSeconds = Int64.random(in: 20...600, using: &r)
        return c
    }

    public var description: String {
        let names = stores.map { $0 == .shopify ? "shopify" : "woocommerce" }
        func f(_ d: Double) -> String { String(Int((d * 100).rounded())) + "%" }
        return "stores=[\(names.joined(separator: ","))] skews_ms=\(skews) ops=\(opCount) contacts=\(contactKeys) products=\(productKeys) "
            + "mix(storeEdit=\(weightStoreEdit) ledgerEdit=\(weightLedgerEdit) create=\(weightCreate) delete=\(weightDelete) invalid=\(weightInvalid) pass=\(weightPass) order=\(weightOrder) stock=\(weightStock)) "
            + "faults(http=\(f(httpFaultProbability)) appliedThenFail=\(f(appliedThenFailProbability)) crash=\(f(crashProbability)) clockJump=\(f(clockJumpProbability)) ledgerClockBack=\(f(ledgerClockBackProbability))) "
            + "host_batches=\(atomicHostBatches ? "atomic" : "separate") shopify_api=\(shopifyGraphQL ? "graphql" : "rest") shopify_auth=\(shopifyTokenGrant ? "grant(\(shopifyTokenLifetimeSeconds)s)" : "token") "
            + (webhooks ? "webhooks(drop=\(f(webhookDropProbability)) duplicate=\(f(webhookDuplicateProbability)) delay=\(f(webhookDelayProbability)) reorder=\(f(webhookReorderProbability)))" : "webhooks=off")
    }
}
