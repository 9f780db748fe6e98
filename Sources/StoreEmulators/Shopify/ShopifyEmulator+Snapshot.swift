import Foundation
import SyncCore

/// The persistent part of a ``ShopifyShop``: records, id counters, webhook subscriptions, clock skew.
struct ShopifySnapshot: Codable, Sendable, Hashable {
    static let kind = "shopify"

    var emulator = ShopifySnapshot.kind
    var version = EmulatorSnapshotHeader.currentVersion
    var shopCreatedAt: Int64
    var skewMilliseconds: Int64
    var nextID: Int
    var nextOrderNumber: Int
    var nextEventID: Int
    var customers: [Int: ShopifyCustomer]
    var products: [Int: ShopifyProduct]
    var variantOwner: [Int: Int]
    var inventoryItemVariant: [Int: Int]
    var levels: [Int: ShopifyInventoryLevel]
    var orders: [Int: ShopifyOrder]
    var webhooks: [Int: ShopifyWebhookSubscription]

    init(_ shop: ShopifyShop) {
        shopCreatedAt = shop.shopCreatedAt
        skewMilliseconds = shop.skewMilliseconds
        nextID = shop.nextID
        nextOrderNumber = shop.nextOrderNumber
        nextEventID = shop.nextEventID
        customers = shop.customers
        products = shop.products
        variantOwner = shop.variantOwner
        inventoryItemVariant = shop.inventoryItemVariant
        levels = shop.levels
        orders = shop.orders
        webhooks = shop.webhooks
    }

    /// Every id the records use must be below `nextID`, and the lookup tables must point at records.
    func validate() throws {
        var ids = Array(customers.keys) + Array(products.keys) + Array(orders.keys) + Array(webhooks.keys)
        for (key, c) in customers {
            guard key == c.id else { throw EmulatorSnapshotError.inconsistent(Self.kind, "customer \(key) holds id \(c.id)") }
            ids += c.metafields.map(\.id)
        }
        for (key, p) in products {
            guard key == p.id else { throw EmulatorSnapshotError.inconsistent(Self.kind, "product \(key) holds id \(p.id)") }
            ids += p.variants.flatMap { [$0.id, $0.inventoryItemID] } + p.metafields.map(\.id)
        }
        for (key, o) in orders {
            guard key == o.id else { throw EmulatorSnapshotError.inconsistent(Self.kind, "order \(key) holds id \(o.id)") }
            ids += o.lineItems.map(\.id)
            guard o.number < nextOrderNumber else {
                throw EmulatorSnapshotError.inconsistent(Self.kind, "order number \(o.number) is not below the next order number \(nextOrderNumber)")
            }
        }
        if let top = ids.max(), top >= nextID {
            throw EmulatorSnapshotError.inconsistent(Self.kind, "id \(top) is not below the next id \(nextID)")
        }
        for (variant, product) in variantOwner where products[product]?.variants.contains(where: { $0.id == variant }) != true {
            throw EmulatorSnapshotError.inconsistent(Self.kind, "variant \(variant) points at product \(product), which does not list it")
        }
        for (item, _) in levels where inventoryItemVariant[item] == nil {
            throw EmulatorSnapshotError.inconsistent(Self.kind, "inventory item \(item) has a level but no variant")
        }
    }

    func apply(to shop: inout ShopifyShop) {
        shop.shopCreatedAt = shopCreatedAt
        shop.skewMilliseconds = skewMilliseconds
        shop.nextID = nextID
        shop.nextOrderNumber = nextOrderNumber
        shop.nextEventID = nextEventID
        shop.customers = customers
        shop.products = products
        shop.variantOwner = variantOwner
        shop.inventoryItemVariant = inventoryItemVariant
        shop.levels = levels
        shop.orders = orders
        shop.webhooks = webhooks
        shop.pendingDeliveries = []
        shop.bucketMilli = 0
        shop.bucketUpdatedAt = nil
    }
}

extension ShopifyEmulator {
    /// The shop's whole persistent state as canonical JSON (sorted keys; equal states give equal bytes):
    /// customers, products, variants, stock levels, orders, webhook subscriptions, the id and order-number
    /// counters and the clock skew.
    ///
    /// Not included: webhook deliveries still queued, the fault plan, the rate-limit bucket, request
    /// counters, the configuration and the credentials (both come from the emulator's `init`), and the
    /// position of the seeded random generators.
    ///
    /// ```swift
    /// try shop.snapshot().write(to: url)
    /// let again = ShopifyEmulator(configuration: config, seed: seed, clock: clock)
    /// try again.restore(from: Data(contentsOf: url))
    /// ```
    public func snapshot() -> Data {
        EmulatorSnapshotCoding.encode(ShopifySnapshot(state.withLock { $0 }))
    }

    /// Replaces the shop's records, counters and clock skew with those of a ``snapshot()``; queued
    /// webhook deliveries are dropped, the fault plan is kept.
    ///
    /// - Throws: ``EmulatorSnapshotError`` when `data` is not a Shopify snapshot of this format, or is
    ///   damaged; the shop is then left unchanged.
    public func restore(from data: Data) throws {
        let snapshot = try EmulatorSnapshotCoding.decode(ShopifySnapshot.self, from: data, kind: ShopifySnapshot.kind)
        try snapshot.validate()
        state.withLock { snapshot.apply(to: &$0) }
    }

    /// Creates a shop holding the state of a ``snapshot()``.
    ///
    /// - Parameters:
    ///   - configuration: the shop's setup (not part of a snapshot).
    ///   - seed: derives the credentials, as in ``init(configuration:seed:clock:)``; use the seed the
    ///     snapshotted shop was created with so clients keep working.
    /// - Throws: ``EmulatorSnapshotError`` when `data` is not a usable Shopify snapshot.
    public convenience init(restoring data: Data, configuration: ShopifyEmulatorConfiguration = ShopifyEmulatorConfiguration(),
                            seed: UInt64 = 1, clock: any WallClock) throws {
        self.init(configuration: configuration, seed: seed, clock: clock)
        try restore(from: data)
    }
}
