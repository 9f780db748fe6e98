import Foundation
import Logging
import SyncCore

/// The persistent part of a ``WooCommerceSite``: records, id counters, webhooks, clock skew.
///
/// The configuration (and so `siteURL`, which changes with the port) is not part of it.
struct WooCommerceSnapshot: Codable, Sendable, Hashable {
    static let kind = "woocommerce"

    var emulator = WooCommerceSnapshot.kind
    var version = EmulatorSnapshotHeader.currentVersion
    var skewMilliseconds: Int64
    var customers: [Int: WooCustomerRecord]
    var products: [Int: WooProductRecord]
    var orders: [Int: WooOrderRecord]
    var taxes: [Int: WooTaxRate]
    var webhooks: [Int: WooWebhookRecord]
    var nextUserID: Int
    var nextPostID: Int
    var nextTaxID: Int
    var nextWebhookID: Int
    var nextMetaID: Int
    var nextItemID: Int
    var nextDeliveryID: Int

    init(_ site: WooCommerceSite) {
        skewMilliseconds = site.skewMilliseconds
        customers = site.customers
        products = site.products
        orders = site.orders
        taxes = site.taxes
        webhooks = site.webhooks
        nextUserID = site.nextUserID
        nextPostID = site.nextPostID
        nextTaxID = site.nextTaxID
        nextWebhookID = site.nextWebhookID
        nextMetaID = site.nextMetaID
        nextItemID = site.nextItemID
        nextDeliveryID = site.nextDeliveryID
    }

    /// Keys match ids, every id is below its counter, variations point at existing parents.
    func validate() throws {
        func check(_ what: String, _ pairs: [(Int, Int)], below next: Int) throws {
            for (key, id) in pairs {
                guard key == id else { throw EmulatorSnapshotError.inconsistent(Self.kind, "\(what) \(key) holds id \(id)") }
                guard id < next else { throw EmulatorSnapshotError.inconsistent(Self.kind, "\(what) id \(id) is not below the next id \(next)") }
            }
        }
        try check("customer", customers.map { ($0.key, $0.value.id) }, below: nextUserID)
        try check("post", products.map { ($0.key, $0.value.id) } + orders.map { ($0.key, $0.value.id) }, below: nextPostID)
        try check("refund", orders.values.flatMap(\.refunds).map { ($0.id, $0.id) }, below: nextPostID)
        try check("tax rate", taxes.map { ($0.key, $0.value.id) }, below: nextTaxID)
        try check("webhook", webhooks.map { ($0.key, $0.value.id) }, below: nextWebhookID)
        for p in products.values where p.isVariation {
            guard products[p.parentID]?.variationIDs.contains(p.id) == true else {
                throw EmulatorSnapshotError.inconsistent(Self.kind, "variation \(p.id) points at product \(p.parentID), which does not list it")
            }
        }
    }

    func apply(to site: inout WooCommerceSite) {
        site.skewMilliseconds = skewMilliseconds
        site.customers = customers
        site.products = products
        site.orders = orders
        site.taxes = taxes
        site.webhooks = webhooks
        site.nextUserID = nextUserID
        site.nextPostID = nextPostID
        site.nextTaxID = nextTaxID
        site.nextWebhookID = nextWebhookID
        site.nextMetaID = nextMetaID
        site.nextItemID = nextItemID
        site.nextDeliveryID = nextDeliveryID
        site.queue = []
        site.nonces = [:]
    }
}

extension WooCommerceEmulator {
    /// The site's whole persistent state as canonical JSON (sorted keys; equal states give equal bytes):
    /// customers, products and variations, orders with refunds, tax rates, webhooks, every id counter
    /// and the clock skew.
    ///
    /// Not included: queued webhook deliveries, the fault plan, used OAuth nonces, request counters,
    /// the configuration (so `siteURL`, which follows the port, is never pinned) and the credentials
    /// (both come from the emulator's `init`), and the position of the seeded random generators.
    public func snapshot() -> Data {
        EmulatorSnapshotCoding.encode(locked { WooCommerceSnapshot($0) })
    }

    /// Replaces the site's records, counters and clock skew with those of a ``snapshot()``; queued
    /// webhook deliveries and used nonces are dropped, the configuration and fault plan are kept.
    ///
    /// - Throws: ``EmulatorSnapshotError`` when `data` is not a WooCommerce snapshot of this format, or
    ///   is damaged; the site is then left unchanged.
    public func restore(from data: Data) throws {
        let snapshot = try EmulatorSnapshotCoding.decode(WooCommerceSnapshot.self, from: data, kind: WooCommerceSnapshot.kind)
        try snapshot.validate()
        locked { snapshot.apply(to: &$0) }
    }

    /// Creates a site holding the state of a ``snapshot()``.
    ///
    /// - Parameters:
    ///   - configuration: the site's setup (not part of a snapshot).
    ///   - seed: derives the credentials, as in ``init(configuration:seed:clock:logger:)``; use the seed
    ///     the snapshotted site was created with so clients keep working.
    /// - Throws: ``EmulatorSnapshotError`` when `data` is not a usable WooCommerce snapshot.
    public convenience init(restoring data: Data, configuration: WooCommerceEmulatorConfiguration = WooCommerceEmulatorConfiguration(),
                            seed: UInt64, clock: any WallClock, logger: Logger) throws {
        self.init(configuration: configuration, seed: seed, clock: clock, logger: logger)
        try restore(from: data)
    }
}
