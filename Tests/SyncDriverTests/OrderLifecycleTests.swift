import Connectors
import Foundation
import OordenLedger
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine
import Testing

@Suite("Orders become Oorden documents, each fact once")
struct OrderLifecycleTests {
    @Test("Shopify: pending → sales order; paid → sale; partial refund → credit note; replays add nothing")
    func shopifyLifecycle() async throws {
        let w = try World(shopifyCustomers: 3, shopifyProducts: 2, withWoo: false)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        _ = try await w.driver.pass()
        let variant = try #require(w.shopify.products().first?["variants"]?[0]?["id"]?.int)
        let customer = try #require(w.shopify.customers().first { World.validEmails([$0]).count == 1 }?["id"]?.int)
        w.clock.advance(by: 60_000)
        let placed = try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 3)], customerID: customer, financialStatus: "pending")
        let orderID = try #require(placed["id"]?.int)
        let storeTotal = try #require(placed["total_price"]?.decimal)

        _ = try await w.driver.pass()
        let created = try #require(try w.documents(store: "shopify", id: orderID))
        #expect(created.order.status == .open && created.sale == nil)
        #expect(created.order.total == storeTotal)   // to the cent, tax included in Shopify's prices

        w.clock.advance(by: 60_000)
        _ = try w.shopify.markPaid(orderID: orderID)
        _ = try await w.driver.pass()
        let paid = try #require(try w.documents(store: "shopify", id: orderID))
        #expect(paid.order.status == .invoiced && paid.sale != nil)

        w.clock.advance(by: 60_000)
        _ = try w.shopify.refund(orderID: orderID, lines: [:], restock: false, amount: try ExactDecimal("100.00"))
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()   // a replay of everything: nothing twice
        let refunded = try #require(try w.documents(store: "shopify", id: orderID))
        #expect(refunded.creditNotes.map(\.amount) == [try ExactDecimal("100.00")])
        #expect(try w.ledger.salesOrders().count == 1)
        #expect(try w.ledger.sales().count == 1)
    }

    @Test("cancelled before the sale → the sales order is cancelled; after the sale → a credit note for the rest")
    func cancellations() async throws {
        let w = try World(shopifyCustomers: 2, shopifyProducts: 1, withWoo: false)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        _ = try await w.driver.pass()
        let variant = try #require(w.shopify.products().first?["variants"]?[0]?["id"]?.int)
        let early = try #require(try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 1)], email: "guest.uno@ejemplo.mx",
                                                          financialStatus: "pending", shippingAddress: ["first_name": "Rosa", "last_name": "Luna"])["id"]?.int)
        let late = try #require(try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 2)], email: "guest.uno@ejemplo.mx",
                                                         financialStatus: "paid", shippingAddress: ["first_name": "Rosa", "last_name": "Luna"])["id"]?.int)
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try w.shopify.cancel(orderID: early, restock: true)
        _ = try w.shopify.cancel(orderID: late, restock: true)
        _ = try await w.driver.pass()
        let a = try #require(try w.documents(store: "shopify", id: early))
        #expect(a.order.status == .cancelled && a.sale == nil && a.creditNotes.isEmpty)
        let b = try #require(try w.documents(store: "shopify", id: late))
        #expect(b.sale != nil)
        #expect(b.creditNotes.reduce(ExactDecimal.zero) { $0 + $1.amount } == b.order.total)
        // The guest became one Oorden contact, used by both orders.
        let guest = try #require(try w.ledger.contact(email: "guest.uno@ejemplo.mx"))
        #expect(a.order.contactID == guest.id && b.order.contactID == guest.id)
    }

    @Test("a tax rate Oorden lacks holds the order with the rate named; creating the tax releases it")
    func missingTaxHeldThenReleased() async throws {
        let w = try World(shopifyCustomers: 2, shopifyProducts: 1, withWoo: false)
        _ = try await w.driver.pass()
        let variant = try #require(w.shopify.products().first?["variants"]?[0]?["id"]?.int)
        let orderID = try #require(try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 1)], email: "guest.dos@ejemplo.mx",
                                                            shippingAddress: ["first_name": "Iker", "last_name": "Sol"])["id"]?.int)
        _ = try await w.driver.pass()
        #expect(try w.documents(store: "shopify", id: orderID) == nil)
        let held = try #require(try w.engine.heldRecords().first { $0.kind == .order })
        #expect(held.reason.code == .missingTax)
        #expect(held.reason.message.contains("No tax in Oorden with rate 16 %"))
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()
        #expect(try w.documents(store: "shopify", id: orderID)?.sale != nil)
        #expect(try w.engine.heldRecords().filter { $0.kind == .order }.isEmpty)
    }

    @Test("WooCommerce: a partial refund after completion is one credit note; a guest order is paid before it is first seen")
    func wooRefundAndPaidBeforeSeen() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 0, wooCustomers: 1, wooProducts: 2)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        let rate = try w.woo.createTaxRate(rate: "16.0000", name: "IVA")
        _ = try await w.driver.pass()
        let product = try #require(w.woo.products().first { $0["type"]?.string == "simple" }?["id"]?.int)
        // A guest checkout that is already completed when the engine first hears of it.
        let orderID = try w.woo.placeOrder(WooCommerceOrderPlacement(
            lines: [.init(productID: product, quantity: 2)],
            billing: ["first_name": "Dalia", "last_name": "Ríos", "email": "dalia.rios@ejemplo.mx"], taxRateID: rate, status: "completed"))
        _ = try await w.driver.pass()
        let sales = try #require(try w.ledger.salesOrder(externalReference: ExternalReference(store: "woo", remoteID: String(orderID))))
        #expect(sales.status == .invoiced)
        #expect(try w.ledger.contact(email: "dalia.rios@ejemplo.mx")?.id == sales.contactID)

        w.clock.advance(by: 60_000)
        _ = try w.woo.refundOrder(orderID, amount: try ExactDecimal("50.00"), reason: "una pieza dañada")
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()
        let documents = try w.ledger.documents(ofOrder: sales.id)
        #expect(documents.creditNotes.map(\.amount) == [try ExactDecimal("50.00")])
    }

    @Test("WooCommerce: processing → sales order; completed → sale; every fact once across passes")
    func wooLifecycle() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 0, wooCustomers: 2, wooProducts: 3)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        let rate = try w.woo.createTaxRate(rate: "16.0000", name: "IVA")
        _ = try await w.driver.pass()
        let product = try #require(w.woo.products().first { $0["type"]?.string == "simple" }?["id"]?.int)
        let customer = try #require(w.woo.customers().first?["id"]?.int)
        let orderID = try w.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: product, quantity: 2)], customerID: customer,
                                                                     taxRateID: rate, status: "processing"))
        _ = try await w.driver.pass()
        let open = try #require(try w.documents(store: "woo", id: orderID))
        #expect(open.order.status == .open)
        #expect(open.order.total == w.woo.orders().first { $0["id"]?.int == orderID }?["total"]?.decimal)
        w.clock.advance(by: 60_000)
        try w.woo.setOrderStatus(orderID, to: "completed")
        _ = try await w.driver.pass()
        _ = try await w.driver.pass()
        #expect(try w.documents(store: "woo", id: orderID)?.order.status == .invoiced)
        #expect(try w.ledger.sales().count == 1)
    }
}

@Suite("Oorden edits of imported orders reach the store")
struct OrderEditTests {
    @Test("note and fulfilment edited in Oorden reach Shopify; a cancel reaches WooCommerce; nothing loops")
    func editsReachStores() async throws {
        let w = try World(shopifyCustomers: 1, shopifyProducts: 1, wooCustomers: 1, wooProducts: 1)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        let rate = try w.woo.createTaxRate(rate: "16.0000", name: "IVA")
        _ = try await w.driver.pass()
        let variant = try #require(w.shopify.products().first?["variants"]?[0]?["id"]?.int)
        let shopOrder = try #require(try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 1)], email: "nota@ejemplo.mx",
                                                              financialStatus: "pending", shippingAddress: ["first_name": "Eva", "last_name": "Mar"])["id"]?.int)
        let wooProduct = try #require(w.woo.products().first { $0["type"]?.string == "simple" }?["id"]?.int)
        let wooOrder = try w.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: wooProduct, quantity: 1)],
                                                                      customerID: try #require(w.woo.customers().first?["id"]?.int), taxRateID: rate))
        _ = try await w.driver.pass()
        let a = try #require(try w.ledger.salesOrder(externalReference: ExternalReference(store: "shopify", remoteID: String(shopOrder))))
        let b = try #require(try w.ledger.salesOrder(externalReference: ExternalReference(store: "woo", remoteID: String(wooOrder))))

        w.clock.advance(by: 60_000)
        _ = try w.ledger.updateSalesOrder(a.id) { $0.note = "Entregar por la tarde"; $0.fulfilled = true }
        _ = try w.ledger.cancelSalesOrder(b.id)
        _ = try await w.driver.pass()
        let shop = try #require(w.shopify.orders().first { $0["id"]?.int == shopOrder })
        #expect(shop["note"]?.string == "Entregar por la tarde")
        #expect(shop["fulfillment_status"]?.string == "fulfilled")
        #expect(w.woo.orders().first { $0["id"]?.int == wooOrder }?["status"]?.string == "cancelled")
        // The store's echo of the cancel finds the sales order already cancelled: nothing twice. Its
        // restock is a WooCommerce stock change like any other and reaches the other sides once.
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        let quiet = try await w.driver.pass()
        #expect(quiet.totalPushes == 0, "\(quiet.stores)")
        #expect(try w.ledger.salesOrder(id: b.id)?.status == .cancelled)
    }
}

extension World {
    /// The documents Oorden holds for a store order.
    func documents(store: String, id: Int) throws -> OrderDocuments? {
        guard let order = try ledger.salesOrder(externalReference: ExternalReference(store: store, remoteID: String(id))) else { return nil }
        return try ledger.documents(ofOrder: order.id)
    }
}
