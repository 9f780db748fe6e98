import Foundation
import StoreEmulators
import SyncCore
import Testing

@Suite struct ShopifyClockAndRefundTests {
    @Test func clockSkewShiftsTimestampsAndDateHeader() throws {
        let h = ShopifyHarness()
        h.shop.clockSkewMilliseconds = -90_000
        let c = try h.shop.createCustomer(email: "skew@example.mx", firstName: "S", lastName: "K")
        #expect(c["created_at"] == "2026-11-29T10:18:35-06:00")
        #expect(h.send(.get, "shop.json").headers["Date"] == "Sun, 29 Nov 2026 16:18:35 GMT")
        #expect(h.shop.storeNowMilliseconds == ShopifyHarness.start - 90_000)
    }

    @Test func timestampsUseTheConfiguredOffset() throws {
        let h = ShopifyHarness { $0.timezoneOffsetMinutes = 60 }
        let c = try h.shop.createCustomer(email: "cet@example.mx", firstName: "C", lastName: "T")
        #expect(c["updated_at"] == "2026-11-29T17:20:05+01:00")
    }

    @Test func refundCalculateSuggestsWithoutChangingTheOrder() throws {
        let h = ShopifyHarness()
        let product = try h.createProduct(variants: [("Default Title", "CHO-1", "58.00", 10)])
        let vid = try #require(product["variants"]?[0]?["id"]?.int)
        let order = try h.shop.placeOrder(lines: [ShopifyOrderLine(variantID: vid, quantity: 2)])
        let oid = try #require(order["id"]?.int)
        let line = try #require(order["line_items"]?[0]?["id"]?.int)
        let calc = h.send(.post, "orders/\(oid)/refunds/calculate.json", body: ["refund": ["refund_line_items": [["line_item_id": .integer(line), "quantity": 1]]]])
        #expect(calc.status == 200)
        #expect(calc.json["refund"]?["transactions"]?[0]?["kind"] == "suggested_refund")
        #expect(calc.json["refund"]?["transactions"]?[0]?["amount"] == "58.00")
        #expect(h.send(.get, "orders/\(oid).json").json["order"]?["refunds"] == [])
        // Without transactions a refund records lines but moves no money, as on Shopify.
        let linesOnly = h.send(.post, "orders/\(oid)/refunds.json", body: ["refund": ["refund_line_items": [["line_item_id": .integer(line), "quantity": 1, "restock_type": "cancel"]]]])
        #expect(linesOnly.status == 201)
        let after = h.send(.get, "orders/\(oid).json").json["order"]
        #expect(after?["financial_status"] == "paid")
        #expect(after?["refunds"]?.array?.count == 1)
        #expect(h.shop.inventoryLevel(inventoryItemID: product["variants"]?[0]?["inventory_item_id"]?.int ?? 0) == 9)
    }

    @Test func deleteTopicsCarryTheID() throws {
        let h = ShopifyHarness()
        try h.shop.registerWebhook(topic: "customers/delete", address: "http://127.0.0.1:9000/s")
        try h.shop.registerWebhook(topic: "products/delete", address: "http://127.0.0.1:9000/s")
        let c = try h.shop.createCustomer(email: "bye@example.mx", firstName: "B", lastName: "Y")
        let p = try h.createProduct(variants: [("Default Title", "BYE-1", "1.00", 0)])
        try h.shop.deleteCustomer(id: c["id"]?.int ?? 0)
        try h.shop.deleteProduct(id: p["id"]?.int ?? 0)
        let d = h.shop.takeDueWebhooks()
        #expect(d.map(\.topic) == ["customers/delete", "products/delete"])
        #expect(try JSONValue.parse(d[0].body)["id"] == c["id"])
        #expect(try JSONValue.parse(d[1].body)["id"] == p["id"])
    }

    @Test func customerWithOrdersCannotBeDeleted() throws {
        let h = ShopifyHarness()
        let product = try h.createProduct(variants: [("Default Title", "K-1", "10.00", 5)])
        let c = try h.shop.createCustomer(email: "keep@example.mx", firstName: "K", lastName: "P")
        let cid = try #require(c["id"]?.int)
        try h.shop.placeOrder(lines: [ShopifyOrderLine(variantID: product["variants"]?[0]?["id"]?.int ?? 0, quantity: 1)], customerID: cid)
        let r = h.send(.delete, "customers/\(cid).json")
        #expect(r.status == 422)
        #expect(h.shop.customers().first?["orders_count"] == 1)
        #expect(h.shop.customers().first?["total_spent"] == "10.00")
    }
}
