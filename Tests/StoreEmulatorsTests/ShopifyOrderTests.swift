import Foundation
import StoreEmulators
import SyncCore
import Testing

@Suite struct ShopifyOrderTests {
    @Test func placingAnOrderComputesIncludedTaxAndDecrementsStock() throws {
        let h = ShopifyHarness()
        let product = try h.createProduct(variants: [("500 g", "CAF-500", "116.00", 10)])
        let vid = try #require(product["variants"]?[0]?["id"]?.int)
        let item = try #require(product["variants"]?[0]?["inventory_item_id"]?.int)
        let r = h.send(.post, "orders.json", body: ["order": [
            "line_items": [["variant_id": .integer(vid), "quantity": 2]], "email": "Cliente@Example.mx",
            "shipping_lines": [["title": "Envío", "price": "99.00"]],
        ]])
        #expect(r.status == 201)
        let order = try #require(r.json["order"])
        #expect(ShopifyFixtureKeys.order.isSubset(of: h.keys(order)))
        #expect(ShopifyFixtureKeys.lineItem.isSubset(of: h.keys(order["line_items"]?[0])))
        #expect(order["name"] == "#1001")
        #expect(order["order_number"] == 1001)
        #expect(order["subtotal_price"] == "232.00")
        #expect(order["total_tax"] == "32.00")
        #expect(order["total_price"] == "331.00")
        #expect(order["tax_lines"]?[0]?["rate"] == .number("0.16"))
        #expect(order["tax_lines"]?[0]?["title"] == "IVA")
        #expect(order["total_price_set"]?["shop_money"] == ["amount": "331.00", "currency_code": "MXN"])
        #expect(order["financial_status"] == "paid")
        #expect(order["customer"]?["email"] == "cliente@example.mx")
        #expect(h.shop.inventoryLevel(inventoryItemID: item) == 8)
        let second = try h.shop.placeOrder(lines: [ShopifyOrderLine(variantID: vid, quantity: 1)])
        #expect(second["name"] == "#1002")
        #expect(second["customer"] == .null)
        #expect(h.shop.inventoryLevel(inventoryItemID: item) == 7)
    }

    @Test func taxesAddedOnTopWhenPricesExcludeTax() throws {
        let h = ShopifyHarness { $0.taxesIncluded = false }
        let r = h.send(.post, "orders.json", body: ["order": [
            "line_items": [["title": "Servicio de grabado", "price": "19.99", "quantity": 3]],
        ]])
        let order = try #require(r.json["order"])
        #expect(order["subtotal_price"] == "59.97")
        #expect(order["total_tax"] == "9.60")
        #expect(order["total_price"] == "69.57")
        let explicit = h.send(.post, "orders.json", body: ["order": [
            "line_items": [["title": "Otro", "price": "100.00", "quantity": 1]],
            "tax_lines": [["title": "IVA 8%", "rate": .number("0.08"), "price": "8.00"]],
        ]])
        #expect(explicit.json["order"]?["total_tax"] == "8.00")
        #expect(explicit.json["order"]?["total_price"] == "108.00")
        #expect(h.send(.post, "orders.json", body: ["order": ["line_items": []]]).status == 422)
        #expect(h.send(.post, "orders.json", body: ["order": ["line_items": [["variant_id": 1, "quantity": 1]]]]).status == 422)
    }

    @Test func cancelWithRestockReturnsStockAndRefundsPaidOrders() throws {
        let h = ShopifyHarness()
        let product = try h.createProduct(variants: [("Azul", "REB-1", "580.00", 5)])
        let vid = try #require(product["variants"]?[0]?["id"]?.int)
        let item = try #require(product["variants"]?[0]?["inventory_item_id"]?.int)
        let paid = try h.shop.placeOrder(lines: [ShopifyOrderLine(variantID: vid, quantity: 2)])
        let pending = try h.shop.placeOrder(lines: [ShopifyOrderLine(variantID: vid, quantity: 1)], financialStatus: "pending")
        #expect(h.shop.inventoryLevel(inventoryItemID: item) == 2)
        let paidID = try #require(paid["id"]?.int), pendingID = try #require(pending["id"]?.int)

        let cancelled = h.send(.post, "orders/\(paidID)/cancel.json", body: ["reason": "customer", "restock": true])
        #expect(cancelled.status == 200)
        #expect(cancelled.json["order"]?["financial_status"] == "refunded")
        #expect(cancelled.json["order"]?["cancel_reason"] == "customer")
        #expect(cancelled.json["order"]?["cancelled_at"] == "2026-11-29T10:20:05-06:00")
        #expect(cancelled.json["order"]?["refunds"]?[0]?["transactions"]?[0]?["amount"] == "1160.00")
        #expect(h.shop.inventoryLevel(inventoryItemID: item) == 4)
        #expect(h.send(.post, "orders/\(paidID)/cancel.json").status == 422)

        let voided = try h.shop.cancel(orderID: pendingID, restock: false)
        #expect(voided["financial_status"] == "voided")
        #expect(h.shop.inventoryLevel(inventoryItemID: item) == 4)

        #expect(h.send(.get, "orders.json").json["orders"] == [])
        #expect(h.send(.get, "orders.json", query: [QueryItem("status", "any")]).json["orders"]?.array?.count == 2)
        #expect(h.send(.get, "orders.json", query: [QueryItem("status", "cancelled")]).json["orders"]?.array?.count == 2)
    }

    @Test func refundsPartialThenFull() throws {
        let h = ShopifyHarness()
        let product = try h.createProduct(variants: [("24", "HUA-24", "100.00", 10)])
        let vid = try #require(product["variants"]?[0]?["id"]?.int)
        let item = try #require(product["variants"]?[0]?["inventory_item_id"]?.int)
        let order = try h.shop.placeOrder(lines: [ShopifyOrderLine(variantID: vid, quantity: 3)])
        let oid = try #require(order["id"]?.int)
        let line = try #require(order["line_items"]?[0]?["id"]?.int)
        let r = h.send(.post, "orders/\(oid)/refunds.json", body: ["refund": [
            "note": "talla equivocada",
            "refund_line_items": [["line_item_id": .integer(line), "quantity": 1, "restock_type": "return"]],
            "transactions": [["kind": "refund", "amount": "100.00"]],
        ]])
        #expect(r.status == 201)
        let refund = try #require(r.json["refund"])
        #expect(ShopifyFixtureKeys.refund.isSubset(of: h.keys(refund)))
        #expect(ShopifyFixtureKeys.transaction.isSubset(of: h.keys(refund["transactions"]?[0])))
        #expect(refund["refund_line_items"]?[0]?["subtotal"] == "100.00")
        #expect(refund["refund_line_items"]?[0]?["total_tax"] == "13.79")
        #expect(h.shop.inventoryLevel(inventoryItemID: item) == 8)
        var now = h.send(.get, "orders/\(oid).json").json["order"]
        #expect(now?["financial_status"] == "partially_refunded")
        #expect(now?["refunds"]?.array?.count == 1)
        #expect(now?["current_total_price"] == "200.00")

        let tooMuch = h.send(.post, "orders/\(oid)/refunds.json", body: ["refund": ["transactions": [["kind": "refund", "amount": "500.00"]]]])
        #expect(tooMuch.status == 422)
        let full = try h.shop.refund(orderID: oid, lines: [line: 2], restock: false)
        #expect(full["financial_status"] == "refunded")
        #expect(h.shop.inventoryLevel(inventoryItemID: item) == 8)
        now = h.send(.get, "orders/\(oid)/refunds.json").json
        #expect(now?["refunds"]?.array?.count == 2)
    }

    @Test func payFulfillCloseAndEdit() throws {
        let h = ShopifyHarness()
        let product = try h.createProduct(variants: [("Default Title", "VAI-5", "89.00", 10)])
        let vid = try #require(product["variants"]?[0]?["id"]?.int)
        let order = try h.shop.placeOrder(lines: [ShopifyOrderLine(variantID: vid, quantity: 1)], email: "compra@example.mx", financialStatus: "pending")
        let oid = try #require(order["id"]?.int)
        #expect(order["financial_status"] == "pending")
        #expect(try h.shop.markPaid(orderID: oid)["financial_status"] == "paid")
        #expect(try h.shop.fulfill(orderID: oid)["fulfillment_status"] == "fulfilled")
        h.clock.advance(by: 1_000)
        let edit = h.send(.put, "orders/\(oid).json", body: ["order": ["note": "Entregar en recepción", "tags": "regalo",
                                                                       "shipping_address": ["address1": "Av. Juárez 5", "city": "Puebla"]]])
        #expect(edit.json["order"]?["note"] == "Entregar en recepción")
        #expect(edit.json["order"]?["shipping_address"]?["city"] == "Puebla")
        #expect(edit.json["order"]?["updated_at"] == "2026-11-29T10:20:06-06:00")
        let closed = h.send(.post, "orders/\(oid)/close.json")
        #expect(closed.json["order"]?["closed_at"] != .null)
        #expect(h.send(.get, "orders.json").json["orders"] == [])
        #expect(h.send(.get, "orders.json", query: [QueryItem("status", "closed")]).json["orders"]?.array?.count == 1)
        #expect(h.send(.post, "orders/\(oid)/open.json").json["order"]?["closed_at"] == .null)
        #expect(h.send(.post, "orders/\(oid)/cancel.json").status == 422)
        #expect(h.send(.get, "orders/count.json", query: [QueryItem("status", "any")]).json == ["count": 1])
    }
}
