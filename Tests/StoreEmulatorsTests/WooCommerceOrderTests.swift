import Foundation
import StoreEmulators
import SyncCore
import Testing

@Suite struct WooCommerceOrderTests {
    /// The keys of orders--retrieve-an-order.json.
    static let orderFixtureKeys: Set<String> = [
        "_links", "billing", "cart_hash", "cart_tax", "coupon_lines", "created_via", "currency", "customer_id", "customer_ip_address", "customer_note",
        "customer_user_agent", "date_completed", "date_completed_gmt", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt",
        "date_paid", "date_paid_gmt", "discount_tax", "discount_total", "fee_lines", "id", "line_items", "meta_data", "number", "order_key",
        "parent_id", "payment_method", "payment_method_title", "prices_include_tax", "refunds", "shipping", "shipping_lines", "shipping_tax",
        "shipping_total", "status", "tax_lines", "total", "total_tax", "transaction_id", "version",
    ]
    static let lineItemKeys: Set<String> = ["id", "meta_data", "name", "price", "product_id", "quantity", "sku", "subtotal", "subtotal_tax", "tax_class", "taxes", "total", "total_tax", "variation_id"]
    static let taxLineKeys: Set<String> = ["compound", "id", "label", "meta_data", "rate_code", "rate_id", "shipping_tax_total", "tax_total"]

    struct Store {
        let site: WooTestSite
        let tax: Int
        let simple: Int
        let variable: Int
        let variation: Int
        let customer: Int
    }

    func makeStore(pricesIncludeTax: Bool = false) throws -> Store {
        let site = WooTestSite(pricesIncludeTax: pricesIncludeTax)
        let tax = try site.woo.createTaxRate(rate: "16.0000", name: "IVA", country: "MX")
        let simple = try site.woo.createSimpleProduct(name: "Mole", sku: "MOL", regularPrice: "100.00", stock: 10)
        let variable = try site.woo.createProduct(["name": "Playera", "type": "variable", "sku": "PLA"])
        let variation = try site.woo.createVariation(productID: variable, ["sku": "PLA-M", "regular_price": "250.00", "manage_stock": true, "stock_quantity": 4])
        let customer = try site.woo.createCustomer(email: "ana@example.mx", firstName: "Ana", lastName: "Ruiz", billing: ["country": "MX", "city": "Puebla"])
        return Store(site: site, tax: tax, simple: simple, variable: variable, variation: variation, customer: customer)
    }

    @Test func orderTotalsTaxLinesAndShape() throws {
        let s = try makeStore()
        let id = try s.site.woo.placeOrder(WooCommerceOrderPlacement(
            lines: [.init(productID: s.simple, quantity: 2), .init(productID: s.variable, variationID: s.variation, quantity: 1)],
            customerID: s.customer, status: "pending", shippingTotal: try ExactDecimal("99.00")))
        let order = s.site.call(.get, "orders/\(id)")
        let orderKeys = keysOf(order)
        #expect(orderKeys.isSuperset(of: Self.orderFixtureKeys))
        let lineKeys = keysOf(order["line_items"]?[0])
        let taxKeys = keysOf(order["tax_lines"]?[0])
        #expect(lineKeys.isSuperset(of: Self.lineItemKeys))
        #expect(taxKeys.isSuperset(of: Self.taxLineKeys))
        // 2 × 100 + 250 = 450; IVA 72.00; shipping 99 + 15.84 IVA.
        #expect(order["line_items"]?[0]?["subtotal"]?.string == "200.00")
        #expect(order["line_items"]?[0]?["total_tax"]?.string == "32.00")
        #expect(order["line_items"]?[0]?["taxes"]?[0]?["id"]?.int == s.tax)
        #expect(order["line_items"]?[1]?["variation_id"]?.int == s.variation)
        #expect(order["line_items"]?[1]?["product_id"]?.int == s.variable)
        #expect(order["line_items"]?[1]?["sku"]?.string == "PLA-M")
        #expect(order["tax_lines"]?[0]?["rate_id"]?.int == s.tax)
        #expect(order["tax_lines"]?[0]?["tax_total"]?.string == "72.00")
        #expect(order["tax_lines"]?[0]?["shipping_tax_total"]?.string == "15.84")
        #expect(order["tax_lines"]?[0]?["rate_code"]?.string == "MX-IVA-1")
        #expect(order["shipping_total"]?.string == "99.00")
        #expect(order["total_tax"]?.string == "87.84")
        #expect(order["total"]?.string == "636.84")
        #expect(order["customer_id"]?.int == s.customer)
        #expect(order["billing"]?["email"]?.string == "ana@example.mx")
        #expect(order["currency"]?.string == "MXN")
        #expect(order["date_paid_gmt"]?.isNull == true)
        #expect(s.site.call(.get, "taxes/\(s.tax)")["rate"]?.string == "16.0000")
    }

    @Test func pricesIncludingTaxSplitTheGross() throws {
        let s = try makeStore(pricesIncludeTax: true)
        let id = try s.site.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: s.simple, quantity: 1)], status: "pending"))
        let order = s.site.call(.get, "orders/\(id)")
        #expect(order["prices_include_tax"]?.bool == true)
        #expect(order["line_items"]?[0]?["total"]?.string == "86.21")
        #expect(order["line_items"]?[0]?["total_tax"]?.string == "13.79")
        #expect(order["total"]?.string == "100.00")
    }

    @Test func stockReducedOnceAndRestoredOnCancel() throws {
        let s = try makeStore()
        let id = try s.site.woo.placeOrder(WooCommerceOrderPlacement(
            lines: [.init(productID: s.simple, quantity: 3), .init(productID: s.variable, variationID: s.variation, quantity: 2)], status: "pending"))
        #expect(s.site.woo.stock(productID: s.simple) == 10)
        try s.site.woo.setOrderStatus(id, to: "processing")
        #expect(s.site.woo.stock(productID: s.simple) == 7)
        #expect(s.site.woo.stock(productID: s.variable, variationID: s.variation) == 2)
        let paid = s.site.call(.get, "orders/\(id)")
        #expect(paid["date_paid_gmt"]?.string == "2026-11-29T15:00:05")
        try s.site.woo.setOrderStatus(id, to: "on-hold")
        try s.site.woo.setOrderStatus(id, to: "completed")
        #expect(s.site.woo.stock(productID: s.simple) == 7)
        #expect(s.site.call(.get, "orders/\(id)")["date_completed_gmt"]?.string == "2026-11-29T15:00:05")
        _ = s.site.call(.put, "orders/\(id)", json: ["status": "cancelled"])
        #expect(s.site.woo.stock(productID: s.simple) == 10)
        #expect(s.site.woo.stock(productID: s.variable, variationID: s.variation) == 4)
        try s.site.woo.setOrderStatus(id, to: "cancelled")
        #expect(s.site.woo.stock(productID: s.simple) == 10)
    }

    @Test func refundsPartialThenFull() throws {
        let s = try makeStore()
        let id = try s.site.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: s.simple, quantity: 2)], status: "completed"))
        #expect(s.site.woo.stock(productID: s.simple) == 8)
        let order = s.site.call(.get, "orders/\(id)")
        #expect(order["total"]?.string == "232.00")
        let lineID = try #require(order["line_items"]?[0]?["id"]?.int)
        let partial = s.site.call(.post, "orders/\(id)/refunds", json: [
            "line_items": [["id": .integer(lineID), "quantity": 1, "refund_total": "100.00", "refund_tax": [["id": .integer(s.tax), "refund_total": "16.00"]]]],
        ], expect: 201)
        #expect(partial["amount"]?.string == "116.00")
        #expect(s.site.woo.stock(productID: s.simple) == 9)
        let afterPartial = s.site.call(.get, "orders/\(id)")
        #expect(afterPartial["status"]?.string == "completed")
        #expect(afterPartial["refunds"]?[0]?["total"]?.string == "-116.00")
        let tooMuch = s.site.call(.post, "orders/\(id)/refunds", json: ["amount": "200.00"], expect: 500)
        #expect(tooMuch["message"]?.string == "Invalid refund amount.")
        #expect(s.site.call(.post, "orders/\(id)/refunds", json: ["amount": "0"], expect: 400)["code"]?.string == "woocommerce_rest_invalid_order_refund")
        _ = try s.site.woo.refundOrder(id, amount: try ExactDecimal("116.00"), reason: "Devolución")
        let full = s.site.call(.get, "orders/\(id)")
        #expect(full["status"]?.string == "refunded")
        #expect(full["refunds"]?.array?.count == 2)
        #expect(s.site.call(.get, "orders/\(id)/refunds").array?.count == 2)
    }

    @Test func restCreateUpdateListAndModifiedAfter() throws {
        let s = try makeStore()
        let created = s.site.call(.post, "orders", json: [
            "customer_id": .integer(s.customer), "set_paid": true,
            "line_items": [["product_id": .integer(s.simple), "quantity": 1], ["sku": "PLA-M", "quantity": 1]],
            "shipping_lines": [["method_id": "flat_rate", "method_title": "Envío", "total": "50.00"]],
        ], expect: 201)
        #expect(created["status"]?.string == "processing")
        #expect(created["created_via"]?.string == "rest-api")
        #expect(created["line_items"]?[1]?["variation_id"]?.int == s.variation)
        #expect(s.site.woo.stock(productID: s.simple) == 9)
        let first = try #require(created["id"]?.int)
        s.site.clock.advance(by: 30_000)
        let cursor = ISO8601Time.formatGMTNoZone(s.site.clock.nowMilliseconds())
        s.site.clock.advance(by: 1_000)
        let second = try s.site.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: s.simple, quantity: 1)], status: "on-hold"))
        let changed = s.site.call(.get, "orders", query: [QueryItem("modified_after", cursor), QueryItem("dates_are_gmt", "true")])
        #expect(changed.array?.compactMap { $0["id"]?.int } == [second])
        s.site.clock.advance(by: 1_000)
        _ = s.site.call(.put, "orders/\(first)", json: ["customer_note": "Dejar en recepción"])
        let both = s.site.call(.get, "orders", query: [QueryItem("modified_after", cursor), QueryItem("dates_are_gmt", "true"), QueryItem("orderby", "modified"), QueryItem("order", "asc")])
        #expect(both.array?.compactMap { $0["id"]?.int } == [second, first])
        #expect(s.site.call(.get, "orders", query: [QueryItem("status", "on-hold")]).array?.count == 1)
        #expect(s.site.call(.get, "orders/424242", expect: 404)["code"]?.string == "woocommerce_rest_shop_order_invalid_id")
        #expect(s.site.call(.post, "orders", json: ["customer_id": 999], expect: 400)["code"]?.string == "woocommerce_rest_invalid_customer_id")
    }

    @Test func taxesCRUDNeedsForceToDelete() throws {
        let site = WooTestSite()
        let created = site.call(.post, "taxes", json: ["country": "MX", "rate": "16", "name": "IVA", "shipping": true], expect: 201)
        #expect(keysOf(created) == ["_links", "cities", "city", "class", "compound", "country", "id", "name", "order", "postcode", "postcodes", "priority", "rate", "shipping", "state"])
        #expect(created["rate"]?.string == "16.0000")
        let id = try #require(created["id"]?.int)
        #expect(site.call(.put, "taxes/\(id)", json: ["rate": "8"])["rate"]?.string == "8.0000")
        #expect(site.call(.get, "taxes").array?.count == 1)
        #expect(site.call(.delete, "taxes/\(id)", expect: 501)["code"]?.string == "woocommerce_rest_trash_not_supported")
        _ = site.call(.delete, "taxes/\(id)", query: [QueryItem("force", "true")])
        #expect(site.woo.taxRates().isEmpty)
    }
}
