import Connectors
import Foundation
import Logging
import OordenLedger
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine
import Testing

/// The order guarantees of issue #5 not proved elsewhere: WooCommerce cancellation and full refund,
/// a currency mismatch (store and order), a tax-inclusive order whose lines round, two stores selling
/// the last units with real orders, and the worked example of docs/order-lifecycle.md.
@Suite("Orders: the remaining proofs")
struct OrderProofTests {
    @Test("WooCommerce: processing → cancelled cancels the sales order; completed → refunded is a credit note for the whole total; replays add nothing")
    func wooCancelAndFullRefund() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 0, wooCustomers: 1, wooProducts: 2)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        let rate = try w.woo.createTaxRate(rate: "16.0000", name: "IVA")
        _ = try await w.driver.pass()
        let product = try #require(w.woo.products().first { $0["type"]?.string == "simple" }?["id"]?.int)
        let customer = try #require(w.woo.customers().first?["id"]?.int)
        w.clock.advance(by: 60_000)
        let cancelled = try w.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: product, quantity: 1)], customerID: customer, taxRateID: rate))
        let refunded = try w.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: product, quantity: 2)], customerID: customer,
                                                                      taxRateID: rate, status: "completed"))
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        try w.woo.setOrderStatus(cancelled, to: "cancelled")
        let total = try #require(w.woo.orders().first { $0["id"]?.int == refunded }?["total"]?.decimal)
        _ = try w.woo.refundOrder(refunded, amount: total, reason: "devolución completa")
        #expect(w.woo.orders().first { $0["id"]?.int == refunded }?["status"]?.string == "refunded")
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()

        let a = try #require(try w.documents(store: "woo", id: cancelled))
        #expect(a.order.status == .cancelled && a.sale == nil && a.creditNotes.isEmpty)
        let b = try #require(try w.documents(store: "woo", id: refunded))
        #expect(b.sale != nil && b.creditNotes.map(\.amount) == [total])
        #expect(try w.ledger.sales().count == 1 && w.ledger.creditNotes().count == 1)
    }

    @Test("currency: a store in USD is refused naming both currencies; an order in USD from an MXN store is held naming both")
    func currencyMismatch() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 0, wooCustomers: 1, wooProducts: 1)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        _ = try w.woo.createTaxRate(rate: "16.0000", name: "IVA")

        // A second WooCommerce site selling in dollars.
        var usdConfig = WooCommerceEmulatorConfiguration()
        usdConfig.assumeHTTPS = true
        usdConfig.currency = "USD"
        let usd = WooCommerceEmulator(configuration: usdConfig, seed: 5, clock: w.clock, logger: Logger(label: "test"))
        let creds = usd.credentials
        let usdEndpoint = StoreEndpoint(link: "usd", kind: .woocommerce, transport: StoreClient(
            transport: ClosureTransport { usd.handle($0).response },
            credentials: .wooCommerce(Connectors.WooCommerceCredentials(consumerKey: creds.consumerKey, consumerSecret: creds.consumerSecret, mode: .basic)),
            siteURL: usdConfig.siteURL, clock: w.clock, random: SeededRandom(seed: 6), sleeper: NoSleep(), logger: Logger(label: "test")))
        let refusal = try #require(try await w.driver.currencyRefusal(usdEndpoint))
        #expect(refusal.contains("USD") && refusal.contains("MXN"), "\(refusal)")

        // An order in USD placed in the MXN store (WooCommerce lets an order carry its own currency).
        _ = try await w.driver.pass()
        let product = try #require(w.woo.products().first { $0["type"]?.string == "simple" }?["id"]?.int)
        let woo = try #require(w.driver.endpoints.first { $0.link == "woo" })
        let body: JSONValue = ["currency": "USD", "status": "processing",
                               "billing": ["first_name": "John", "last_name": "Doe", "email": "john.doe@example.com"],
                               "line_items": [["product_id": .integer(product), "quantity": 1]]]
        let created = try await woo.transport.send(StoreRequest(method: .post, path: woo.wooCommerce.path("orders"),
                                                                headers: ["Content-Type": "application/json"], body: body.jsonData))
        let orderID = try #require(try JSONValue.parse(created.body)["id"]?.int)
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()
        #expect(try w.documents(store: "woo", id: orderID) == nil)
        let held = try #require(try w.engine.heldRecords().first { $0.kind == .order && $0.remoteID == String(orderID) })
        #expect(held.reason.code == .currencyMismatch)
        #expect(held.reason.message.contains("USD") && held.reason.message.contains("MXN"), "\(held.reason.message)")
        #expect(try w.ledger.salesOrders().isEmpty)
    }

    @Test("a tax-inclusive order whose lines round: the sales order's total is the store's to the cent, and every line's net + tax is its total")
    func taxInclusiveRounding() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 0, withWoo: false)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        _ = try await w.driver.pass()
        // Prices that do not divide by 1.16: each line's net and tax are rounded to the cent.
        let prices = ["10.01", "33.33", "0.99", "199.99", "7.77"]
        let lines: [JSONValue] = prices.enumerated().map { i, p in
            ["title": .string("Pieza \(i + 1)"), "sku": .string("PIEZA-\(i + 1)"), "price": .string(p), "quantity": .integer(i + 1), "taxable": true]
        }
        let placed = try w.shopify.placeOrder(["line_items": .array(lines), "email": "redondeo@ejemplo.mx", "financial_status": "paid",
                                               "taxes_included": true, "shipping_address": ["first_name": "Luz", "last_name": "Vega"]])
        let orderID = try #require(placed["id"]?.int)
        let storeTotal = try #require(placed["total_price"]?.decimal)
        let storeTax = try #require(placed["total_tax"]?.decimal)
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()

        let docs = try #require(try w.documents(store: "shopify", id: orderID))
        let order = docs.order
        #expect(order.pricesIncludeTax)
        #expect(order.total == storeTotal, "Oorden \(order.total) vs store \(storeTotal)")
        #expect(order.subtotal + order.shippingNet + order.taxTotal + order.rounding == order.total)
        for line in order.lines { #expect(line.net + line.taxAmount == line.lineTotal, "\(line.description)") }
        // Oorden splits each gross line itself; the store's tax differs by at most a cent per line.
        let difference = order.taxTotal - storeTax
        #expect((difference.isNegative ? -difference : difference) <= ExactDecimal(prices.count).divided(by: ExactDecimal(100), scale: 2)!)
        #expect(docs.sale?.total == storeTotal)
    }

    @Test("two stores sell the last units of one SKU with real orders at once: exact (negative) counts on every side, one sales order each")
    func twoStoresSellLastUnits() async throws {
        let w = try World(shopifyCustomers: 1, shopifyProducts: 1, wooCustomers: 1, wooProducts: 0)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        let rate = try w.woo.createTaxRate(rate: "16.0000", name: "IVA")
        let v = try #require(w.shopify.products().first?["variants"]?[0])
        let variant = try #require(v["id"]?.int)
        let item = try #require(v["inventory_item_id"]?.int)
        let sku = try #require(v["sku"]?.string)
        _ = try w.shopify.setStock(inventoryItemID: item, available: 3)
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()
        let wooID = try #require(w.woo.products().first { $0["sku"]?.string == sku }?["id"]?.int)
        #expect(w.woo.stock(productID: wooID) == 3)

        w.clock.advance(by: 60_000)
        let shopOrder = try #require(try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 2)], email: "uno@ejemplo.mx",
                                                              shippingAddress: ["first_name": "Uno", "last_name": "Pérez"])["id"]?.int)
        let wooOrder = try w.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: wooID, quantity: 2)],
                                                                      billing: ["first_name": "Dos", "last_name": "Gómez", "email": "dos@ejemplo.mx"],
                                                                      taxRateID: rate, status: "processing"))
        #expect(w.shopify.inventoryLevel(inventoryItemID: item) == 1 && w.woo.stock(productID: wooID) == 1)
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()

        let product = try #require(try w.ledger.product(sku: sku))
        #expect(w.shopify.inventoryLevel(inventoryItemID: item) == -1)
        #expect(w.woo.stock(productID: wooID) == -1)
        #expect(try w.ledger.stockOnHand(productID: product.id) == -1)
        let entity = try #require(try w.engine.entity(kind: .product, naturalKey: sku))
        #expect(try w.engine.stock(of: entity) == -1)
        #expect(try w.documents(store: "shopify", id: shopOrder)?.sale != nil)
        #expect(try w.documents(store: "woo", id: wooOrder)?.order.status == .open)
        w.clock.advance(by: 60_000)
        #expect(try await w.driver.pass().totalPushes == 0)
    }

    /// The documents of one store order as text: what docs/order-lifecycle.md shows.
    static func render(_ docs: OrderDocuments, ledger: OordenLedger) throws -> String {
        let o = docs.order
        let taxes = Dictionary(uniqueKeysWithValues: try ledger.taxes().map { ($0.id, $0.name) })
        var out = "Pedido \(o.number)  status=\(o.status.rawValue)  external=\(o.externalReference.map { "\($0.store)#\($0.remoteID)" } ?? "-")"
        out += "  contact=\(o.contactID.map(String.init) ?? "-")  prices_include_tax=\(o.pricesIncludeTax)\n"
        for l in o.lines {
            out += "  line \(l.position): \(l.description)  qty \(l.quantity) × \(l.unitPrice.formatted(scale: 2))"
            out += "  net \(l.net.formatted(scale: 2))  tax \(l.taxAmount.formatted(scale: 2)) (\(l.taxID.flatMap { taxes[$0] } ?? "none"))  total \(l.lineTotal.formatted(scale: 2))\n"
        }
        out += "  shipping \(o.shipping.formatted(scale: 2))  subtotal \(o.subtotal.formatted(scale: 2))  tax \(o.taxTotal.formatted(scale: 2))"
        out += "  rounding \(o.rounding.formatted(scale: 2))  TOTAL \(o.total.formatted(scale: 2)) \(o.currency)\n"
        if let s = docs.sale {
            out += "Venta \(s.number)  subtotal \(s.subtotal.formatted(scale: 2))  tax \(s.taxTotal.formatted(scale: 2))  TOTAL \(s.total.formatted(scale: 2))\n"
        }
        for n in docs.creditNotes {
            out += "Nota de crédito \(n.number)  amount \(n.amount.formatted(scale: 2))  restock=\(n.restock)  reason=\(n.reason ?? "-")\n"
        }
        for m in docs.movements {
            out += "  movement: product \(m.productID) \(m.quantity > 0 ? "+" : "")\(m.quantity) \(m.kind.rawValue)\n"
        }
        return out
    }

    @Test("worked example (docs/order-lifecycle.md): three lifecycles per store and the documents they produce")
    func workedExample() async throws {
        let w = try World(shopifyCustomers: 1, shopifyProducts: 1, wooCustomers: 1, wooProducts: 1)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        let rate = try w.woo.createTaxRate(rate: "16.0000", name: "IVA")
        _ = try await w.driver.pass()
        let variant = try #require(w.shopify.products().first?["variants"]?[0]?["id"]?.int)
        let customer = try #require(w.shopify.customers().first?["id"]?.int)
        let wooProduct = try #require(w.woo.products().first { $0["type"]?.string == "simple" }?["id"]?.int)
        let wooCustomer = try #require(w.woo.customers().first?["id"]?.int)

        // Created: Shopify A (pending), B (pending), C (paid); WooCommerce D (processing), E (processing), F (completed).
        w.clock.advance(by: 60_000)
        let a = try #require(try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 3)], customerID: customer, financialStatus: "pending")["id"]?.int)
        let b = try #require(try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 1)], customerID: customer, financialStatus: "pending")["id"]?.int)
        let c = try #require(try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 2)], customerID: customer, financialStatus: "paid")["id"]?.int)
        let d = try w.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: wooProduct, quantity: 3)], customerID: wooCustomer, taxRateID: rate))
        let e = try w.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: wooProduct, quantity: 1)], customerID: wooCustomer, taxRateID: rate))
        let f = try w.woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: wooProduct, quantity: 2)], customerID: wooCustomer,
                                                               taxRateID: rate, status: "completed"))
        _ = try await w.driver.pass()
        // Paid / completed.
        w.clock.advance(by: 60_000)
        _ = try w.shopify.markPaid(orderID: a)
        try w.woo.setOrderStatus(d, to: "completed")
        _ = try await w.driver.pass()
        // Partial refund, cancellation, full refund.
        w.clock.advance(by: 60_000)
        _ = try w.shopify.refund(orderID: a, lines: [:], restock: false, amount: try ExactDecimal("100.00"))
        _ = try w.shopify.cancel(orderID: b, restock: true)
        let cTotal = try #require(w.shopify.orders().first { $0["id"]?.int == c }?["total_price"]?.decimal)
        _ = try w.shopify.refund(orderID: c, lines: [:], restock: true, amount: cTotal)
        _ = try w.woo.refundOrder(d, amount: try ExactDecimal("50.00"), reason: "una pieza dañada")
        try w.woo.setOrderStatus(e, to: "cancelled")
        let fTotal = try #require(w.woo.orders().first { $0["id"]?.int == f }?["total"]?.decimal)
        _ = try w.woo.refundOrder(f, amount: fTotal, reason: "devolución completa")
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()

        var text = ""
        let cases: [(String, String, Int)] = [
            ("Shopify: created → paid → refunded partially", "shopify", a), ("Shopify: created → cancelled", "shopify", b),
            ("Shopify: paid → refunded", "shopify", c), ("WooCommerce: processing → completed → refunded partially", "woo", d),
            ("WooCommerce: processing → cancelled", "woo", e), ("WooCommerce: completed → refunded", "woo", f),
        ]
        for (title, store, id) in cases {
            let docs = try #require(try w.documents(store: store, id: id))
            text += "## \(title)\n" + (try Self.render(docs, ledger: w.ledger)) + "\n"
        }
        text += "$ oorden-sync ledger list orders\n" + (try LedgerListing(.orders, of: w.ledger).table())
        text += "\n$ oorden-sync ledger list sales\n" + (try LedgerListing(.sales, of: w.ledger).table())
        if ProcessInfo.processInfo.environment["OORDEN_PRINT_EXAMPLE"] != nil { print(text) }

        #expect(try w.documents(store: "shopify", id: a)?.creditNotes.map(\.amount) == [try ExactDecimal("100.00")])
        #expect(try w.documents(store: "shopify", id: b)?.order.status == .cancelled)
        #expect(try w.documents(store: "shopify", id: c)?.creditNotes.map(\.amount) == [cTotal])
        #expect(try w.documents(store: "woo", id: d)?.creditNotes.map(\.amount) == [try ExactDecimal("50.00")])
        #expect(try w.documents(store: "woo", id: e)?.order.status == .cancelled)
        #expect(try w.documents(store: "woo", id: f)?.creditNotes.map(\.amount) == [fTotal])
        #expect(try w.ledger.salesOrders().count == 6 && w.ledger.sales().count == 4 && w.ledger.creditNotes().count == 4)
    }
}
