import Foundation
import Logging
import StoreEmulators
import SyncCore
import Testing

@Suite("Emulator snapshots")
struct SnapshotTests {
    // MARK: Shopify

    @Test("a Shopify snapshot restores the same API answers and the same next ids")
    func shopifyRoundTrip() throws {
        let h = ShopifyHarness(seed: 7)
        h.shop.seed(customers: 12, products: 5, orders: 8)
        _ = h.send(.post, "webhooks.json", body: ["webhook": ["topic": "customers/update", "address": "https://example.test/hook", "format": "json"]])
        h.shop.clockSkewMilliseconds = 4_000
        let data = h.shop.snapshot()

        let copy = try ShopifyEmulator(restoring: data, seed: 7, clock: h.clock)
        #expect(copy.snapshot() == data)
        #expect(copy.customers() == h.shop.customers())
        #expect(copy.products() == h.shop.products())
        #expect(copy.orders() == h.shop.orders())
        #expect(copy.webhookSubscriptions() == h.shop.webhookSubscriptions())
        #expect(copy.clockSkewMilliseconds == 4_000)
        let original = h.send(.get, "customers.json", query: [QueryItem("limit", "250")])
        let restored = copy.handle(h.request(.get, "customers.json", query: [QueryItem("limit", "250")])).response
        #expect(restored?.status == 200)
        #expect(restored?.body == original.raw)

        // Both hand out the same id and order number next.
        let a = try h.shop.createCustomer(email: "nueva@ejemplo.mx", firstName: "Nueva", lastName: "Clienta")
        let b = try copy.createCustomer(email: "nueva@ejemplo.mx", firstName: "Nueva", lastName: "Clienta")
        #expect(a["id"] != nil)
        #expect(a["id"] == b["id"])
        let variant = try #require(h.shop.products().first?["variants"]?[0]?["id"]?.int)
        let o1 = try h.shop.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 1)])
        let o2 = try copy.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 1)])
        #expect(o1["id"] == o2["id"])
        #expect(o1["order_number"] == o2["order_number"])
    }

    @Test("restoring replaces the state and drops queued webhooks")
    func shopifyRestoreReplaces() throws {
        let h = ShopifyHarness(seed: 3)
        h.shop.seed(customers: 3, products: 1, orders: 0)
        let data = h.shop.snapshot()
        _ = try h.shop.createCustomer(email: "despues@ejemplo.mx", firstName: "Des", lastName: "Pués")
        try h.shop.restore(from: data)
        #expect(h.shop.customers().count == 3)
        #expect(h.shop.pendingWebhookCount == 0)
        #expect(h.shop.snapshot() == data)
    }

    @Test("damaged or foreign snapshots are refused and change nothing", arguments: [
        ("not json", "snapshot_unreadable"),
        (#"{"emulator":"woocommerce","version":1}"#, "snapshot_foreign"),
        (#"{"emulator":"shopify","version":99}"#, "snapshot_foreign"),
        (#"{"emulator":"shopify","version":1,"nextID":5}"#, "snapshot_unreadable"),
    ])
    func shopifyRejects(input: String, code: String) throws {
        let h = ShopifyHarness(seed: 5)
        h.shop.seed(customers: 4, products: 2, orders: 1)
        let before = h.shop.snapshot()
        let error = #expect(throws: EmulatorSnapshotError.self) { try h.shop.restore(from: Data(input.utf8)) }
        #expect(error?.code == code)
        #expect(h.shop.snapshot() == before)
    }

    @Test("a truncated or self-contradicting Shopify snapshot is refused")
    func shopifyRejectsDamage() throws {
        let h = ShopifyHarness(seed: 5)
        h.shop.seed(customers: 4, products: 2, orders: 1)
        let before = h.shop.snapshot()
        let truncated = before.prefix(before.count / 2)
        #expect(throws: EmulatorSnapshotError.self) { try h.shop.restore(from: Data(truncated)) }

        var doc = try JSONValue.parse(before)
        guard case .object(var fields) = doc else { Issue.record("snapshot is not an object"); return }
        fields["nextID"] = .integer(1)
        doc = .object(fields)
        let error = #expect(throws: EmulatorSnapshotError.self) { try h.shop.restore(from: doc.jsonData) }
        #expect(error?.code == "snapshot_inconsistent")
        #expect(h.shop.snapshot() == before)
        #expect(throws: EmulatorSnapshotError.self) {
            _ = try ShopifyEmulator(restoring: WooTestSite().woo.snapshot(), seed: 5, clock: h.clock)
        }
    }

    // MARK: WooCommerce

    @Test("a WooCommerce snapshot restores the same API answers and the same next ids, at another URL")
    func wooRoundTrip() throws {
        let site = WooTestSite(seed: 42)
        try site.woo.seed(customers: 10, products: 6, orders: 8)
        #expect(site.send(.post, "webhooks", json: ["topic": "customer.updated", "delivery_url": "https://example.test/hook"]).status == 201)
        site.woo.clockSkewMilliseconds = -2_000
        let data = site.woo.snapshot()

        var config = site.woo.configuration
        config.siteURL = "http://127.0.0.1:9999"
        let copy = try WooCommerceEmulator(restoring: data, configuration: config, seed: 42, clock: site.clock, logger: Logger(label: "test"))
        #expect(copy.snapshot() == data)
        #expect(copy.configuration.siteURL == "http://127.0.0.1:9999")
        // Equal but for the links, which follow the new site URL.
        #expect(copy.customers().map(Self.withoutLinks) == site.woo.customers().map(Self.withoutLinks))
        #expect(copy.orders().map(Self.withoutLinks) == site.woo.orders().map(Self.withoutLinks))
        #expect(copy.taxRates().map(Self.withoutLinks) == site.woo.taxRates().map(Self.withoutLinks))
        #expect(copy.customers().first?["_links"]?["self"]?[0]?["href"]?.string?.hasPrefix("http://127.0.0.1:9999/") == true)
        #expect(copy.clockSkewMilliseconds == -2_000)
        #expect(copy.webhooks().map { $0["delivery_url"] } == site.woo.webhooks().map { $0["delivery_url"] })
        let products = site.send(.get, "products", query: [QueryItem("per_page", "100")])
        let restored = WooTestSite.resend(copy, basicAuth: site.basicAuth, path: "products", query: [QueryItem("per_page", "100")])
        #expect(restored?.status == 200)
        #expect(restored.flatMap { try? JSONValue.parse($0.body) }?.array?.map { $0["id"] } == site.body(products).array?.map { $0["id"] })
        #expect(restored.flatMap { try? JSONValue.parse($0.body) }?.array?.map { $0["sku"] } == site.body(products).array?.map { $0["sku"] })

        let a = try site.woo.createCustomer(email: "nuevo@ejemplo.es", firstName: "Nuevo", lastName: "Cliente")
        let b = try copy.createCustomer(email: "nuevo@ejemplo.es", firstName: "Nuevo", lastName: "Cliente")
        #expect(a == b)
        let p1 = try site.woo.createSimpleProduct(name: "Taza", sku: "TAZA-1", regularPrice: "99.00", stock: 3)
        let p2 = try copy.createSimpleProduct(name: "Taza", sku: "TAZA-1", regularPrice: "99.00", stock: 3)
        #expect(p1 == p2)
        #expect(copy.snapshot() == site.woo.snapshot())
    }

    static func withoutLinks(_ value: JSONValue) -> JSONValue {
        guard case .object(var fields) = value else { return value }
        fields["_links"] = nil
        return .object(fields)
    }

    @Test("damaged or foreign WooCommerce snapshots are refused and change nothing")
    func wooRejects() throws {
        let site = WooTestSite(seed: 9)
        try site.woo.seed(customers: 3, products: 2, orders: 2)
        let before = site.woo.snapshot()
        let shop = ShopifyHarness(seed: 1).shop.snapshot()
        let foreign = #expect(throws: EmulatorSnapshotError.self) { try site.woo.restore(from: shop) }
        #expect(foreign?.code == "snapshot_foreign")
        #expect(throws: EmulatorSnapshotError.self) { try site.woo.restore(from: Data(before.prefix(100))) }
        guard case .object(var fields) = try JSONValue.parse(before) else { Issue.record("snapshot is not an object"); return }
        fields["nextPostID"] = .integer(2)
        let bad = #expect(throws: EmulatorSnapshotError.self) { try site.woo.restore(from: JSONValue.object(fields).jsonData) }
        #expect(bad?.code == "snapshot_inconsistent")
        #expect(site.woo.snapshot() == before)
        #expect(site.woo.customers().count == 3)
    }
}

extension WooTestSite {
    /// Sends a Basic-auth GET to another emulator, as ``send(_:_:query:json:)`` does to this one.
    static func resend(_ woo: WooCommerceEmulator, basicAuth: HeaderFields, path: String, query: [QueryItem]) -> StoreResponse? {
        woo.handle(StoreRequest(method: .get, path: "/wp-json/wc/v3/" + path, query: query, headers: basicAuth)).response
    }
}
