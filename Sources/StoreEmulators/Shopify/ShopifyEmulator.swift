import Foundation
import Synchronization
import SyncCore

/// An emulated Shopify shop speaking the Admin REST subset OordenSync uses.
///
/// A pure `request → reply` handler with its own state behind a lock, deterministic from a seed
/// and an injected ``WallClock``: tests and the simulator call ``handle(_:)`` directly,
/// ``EmulatorServer`` serves it over loopback HTTP. Merchant actions (``createCustomer(_:)``,
/// ``placeOrder(lines:customerID:email:financialStatus:)`` …) change the shop as the admin UI or a
/// shopper would, stamping `updated_at` and firing webhooks.
///
/// ```swift
/// let shop = ShopifyEmulator(seed: 7, clock: ManualClock(milliseconds: 1_796_050_805_000))
/// shop.seed(customers: 20, products: 10, orders: 15)
/// let reply = shop.handle(StoreRequest(method: .get, path: "/admin/api/2024-10/customers.json",
///     headers: ["X-Shopify-Access-Token": shop.credentials.accessToken]))
/// ```
public final class ShopifyEmulator: StoreEmulator {
    let state: Mutex<ShopifyShop>

    /// The shop's setup.
    public let configuration: ShopifyEmulatorConfiguration
    /// The credentials it accepts and signs webhooks with.
    public let credentials: ShopifyCredentials

    /// Creates an empty shop.
    ///
    /// - Parameters:
    ///   - seed: derives the credentials (unless configured), tokens, webhook ids, fault draws and
    ///     ``seed(customers:products:orders:)`` data.
    ///   - clock: the wall clock; the store's clock is this plus ``clockSkewMilliseconds``.
    public init(configuration: ShopifyEmulatorConfiguration = ShopifyEmulatorConfiguration(), seed: UInt64 = 1, clock: any WallClock) {
        let shop = ShopifyShop(configuration: configuration, seed: seed, clock: clock)
        self.configuration = configuration
        self.credentials = shop.credentials
        self.state = Mutex(shop)
    }

    // MARK: StoreEmulator

    public func handle(_ request: StoreRequest) -> EmulatorReply {
        state.withLock { $0.handle(request) }
    }

    public func takeDueWebhooks() -> [WebhookDelivery] {
        state.withLock { $0.takeDueWebhooks() }
    }

    public var faults: FaultPlan {
        get { state.withLock { $0.faults } }
        set { state.withLock { $0.faults = newValue } }
    }

    // MARK: Clock

    /// How far the store's clock runs ahead (positive) or behind the wall clock, in milliseconds.
    public var clockSkewMilliseconds: Int64 {
        get { state.withLock { $0.skewMilliseconds } }
        set { state.withLock { $0.skewMilliseconds = newValue } }
    }

    /// The store's current time (wall clock + skew), truncated to seconds like its timestamps.
    public var storeNowMilliseconds: Int64 { state.withLock { $0.now } }

    /// The base URL path of the Admin API for the configured version (`/admin/api/2024-10`).
    public var apiPath: String { "/admin/api/\(configuration.apiVersion)" }

    // MARK: Inspection

    /// Every customer, as `customers/{id}.json` renders it, by id.
    public func customers() -> [JSONValue] {
        state.withLock { s in s.customers.keys.sorted().compactMap { s.customers[$0].map { s.customerJSON($0) } } }
    }

    /// Every product with its variants, by id.
    public func products() -> [JSONValue] {
        state.withLock { s in s.products.keys.sorted().compactMap { s.products[$0].map { s.productJSON($0) } } }
    }

    /// Every order (any status), by id.
    public func orders() -> [JSONValue] {
        state.withLock { s in s.orders.keys.sorted().compactMap { s.orders[$0].map { s.orderJSON($0) } } }
    }

    /// The `available` quantity of an inventory item at the primary location, or `nil`.
    public func inventoryLevel(inventoryItemID: Int) -> Int? {
        state.withLock { $0.levels[inventoryItemID]?.available }
    }

    /// How many requests were received, keyed `"GET /admin/api/2024-10/customers.json"`.
    public var requestCounts: [String: Int] { state.withLock { $0.requestCounts } }

    /// Requests received for one method and path.
    public func requestCount(method: StoreRequest.Method, path: String) -> Int {
        state.withLock { $0.requestCounts["\(method.rawValue) \(path)"] ?? 0 }
    }

    /// How many tokens the client-credentials grant has issued (`POST /admin/oauth/access_token`).
    public var tokensIssued: Int { state.withLock { $0.tokensIssued } }

    /// How many 429 responses were served (rate limit and injected).
    public var rateLimitedResponses: Int { state.withLock { $0.rateLimitedCount } }

    /// GraphQL `inventoryAdjustQuantities` requests that changed stock.
    public var idempotentAdjustmentsApplied: Int { state.withLock { $0.idempotentAdjustmentsApplied } }

    /// GraphQL `inventoryAdjustQuantities` requests answered from an earlier request with the same
    /// `@idempotent` key, changing nothing.
    public var idempotentReplays: Int { state.withLock { $0.idempotentReplays } }

    /// Webhook deliveries queued but not yet due or taken.
    public var pendingWebhookCount: Int { state.withLock { $0.pendingDeliveries.count } }

    /// Registered webhook subscriptions as `webhooks.json` renders them.
    public func webhookSubscriptions() -> [JSONValue] {
        state.withLock { s in s.webhooks.keys.sorted().compactMap { s.webhooks[$0].map { s.webhookJSON($0) } } }
    }

    /// The `X-Shopify-Shop-Api-Call-Limit` value right now (`12/40`).
    public var callLimit: String { state.withLock { $0.callLimitHeader } }

    // MARK: Merchant actions

    func perform<T: Sendable>(_ body: (inout ShopifyShop) throws -> T) throws -> T {
        try state.withLock { s in try body(&s) }
    }
}
