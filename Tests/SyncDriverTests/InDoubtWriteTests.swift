import Connectors
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine
import Testing

/// Store writes the store applied but answered with a gateway error (502/503/504): in doubt, like a
/// timeout — looked up before any retry, never sent again blindly (docs/operations.md, "Durable outbox").
/// Over loopback HTTP against the emulators.
@Suite("Writes applied, then answered 5xx")
struct InDoubtWriteTests {
    static func gatewayFailsNextWrite(_ plan: FaultPlan, status: Int = 504) -> FaultPlan {
        var plan = plan
        plan.applyThenFailNextWrites = 1
        plan.applyThenFailStatus = status
        return plan
    }

    @Test("a Shopify product create applied and answered 504 leaves one product with the SKU, linked, nothing held")
    func shopifyProductCreateAnswered504() async throws {
        let w = try await LoopbackStores.start()
        _ = try w.ledger.createProduct(ProductDraft(sku: "GATE-504", name: "Taza de barro", price: try ExactDecimal("120.00")))
        w.shopify.faults = Self.gatewayFailsNextWrite(w.shopify.faults)

        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()

        #expect(w.shopify.faults.applyThenFailNextWrites == 0, "the fault fired")
        let withSKU = w.shopify.products().filter { p in (p["variants"]?.array ?? []).contains { $0["sku"]?.string == "GATE-504" } }
        #expect(withSKU.count == 1, "one product with the SKU in Shopify, not a second from a blind retry: \(withSKU.count)")
        #expect(w.shopify.requestCount(method: .post, path: "\(w.shopify.apiPath)/products.json") == 1, "the create was sent once")
        let held = try w.engine.heldRecords().map(\.reason.message)
        #expect(held.isEmpty, "nothing held: \(held)")
        let entity = try #require(try w.engine.entity(kind: .product, naturalKey: "GATE-504"))
        #expect(try w.engine.remoteIDs(of: entity)["shopify"] != nil, "our product is linked to the one Shopify made")
        await w.stop()
    }

    @Test("a WooCommerce customer create applied and answered 502 links the customer: nothing held, no second POST")
    func wooCustomerCreateAnswered502() async throws {
        let w = try await LoopbackStores.start()
        _ = try w.ledger.createContact(ContactDraft(firstName: "Rocío", lastName: "Durán", email: "rocio.duran@ejemplo.mx"))
        w.woo.faults = Self.gatewayFailsNextWrite(w.woo.faults, status: 502)

        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()

        #expect(w.woo.faults.applyThenFailNextWrites == 0, "the fault fired")
        let matching = w.woo.customers().filter { $0["email"]?.string == "rocio.duran@ejemplo.mx" }
        #expect(matching.count == 1)
        let held = try w.engine.heldRecords().map(\.reason.message)
        #expect(held.isEmpty, "not held push_rejected for the store's 'already registered': \(held)")
        let entity = try #require(try w.engine.entity(kind: .contact, naturalKey: "rocio.duran@ejemplo.mx"))
        #expect(try w.engine.remoteIDs(of: entity)["woo"] == matching.first?["id"]?.int.map(String.init))
        await w.stop()
    }

    @Test("a Shopify stock adjustment applied and answered 503 is counted once: Oorden and Shopify agree")
    func shopifyStockAdjustmentAnswered503() async throws {
        let w = try await LoopbackStores.start()
        let product = try w.ledger.createProduct(ProductDraft(sku: "STOCK-503", name: "Jarro", price: try ExactDecimal("45.00")))
        _ = try w.ledger.recordMovement(productID: product.id, quantity: 10, kind: .purchase)
        _ = try await w.driver.pass()
        let item = try #require(w.shopify.products().flatMap { $0["variants"]?.array ?? [] }.first { $0["sku"]?.string == "STOCK-503" }?["inventory_item_id"]?.int)
        #expect(w.shopify.inventoryLevel(inventoryItemID: item) == 10)

        // An Oorden user receives 5 more; Shopify applies the adjustment and its gateway answers 503.
        w.clock.advance(by: 60_000)
        _ = try w.ledger.recordMovement(productID: product.id, quantity: 5, kind: .purchase)
        w.shopify.faults = Self.gatewayFailsNextWrite(w.shopify.faults, status: 503)
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()

        #expect(w.shopify.faults.applyThenFailNextWrites == 0, "the fault fired")
        #expect(w.shopify.inventoryLevel(inventoryItemID: item) == 15, "the adjustment was applied once, not resent")
        #expect(try w.ledger.stockOnHand(productID: product.id) == 15, "and not counted again as a Shopify change")
        let entity = try #require(try w.engine.entity(kind: .product, naturalKey: "STOCK-503"))
        #expect(try w.engine.stock(of: entity) == 15)
        #expect(try w.engine.heldRecords().isEmpty)
        await w.stop()
    }

    @Test("a fulfilment made in Oorden, applied by Shopify and answered 504, is not sent again: one fulfilment, nothing held")
    func shopifyFulfilmentAnswered504() async throws {
        let w = try await LoopbackStores.start(shopifyProducts: 1)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        _ = try await w.driver.pass()
        let variant = try #require(w.shopify.products().first?["variants"]?[0]?["id"]?.int)
        let order = try #require(try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 1)], email: "envio@ejemplo.mx",
                                                          financialStatus: "paid", shippingAddress: ["first_name": "Eva", "last_name": "Mar"])["id"]?.int)
        for _ in 0..<2 {
            w.clock.advance(by: 60_000)
            _ = try await w.driver.pass()
        }
        let salesOrder = try #require(try w.ledger.salesOrder(externalReference: ExternalReference(store: "shopify", remoteID: String(order))))

        w.clock.advance(by: 60_000)
        _ = try w.ledger.updateSalesOrder(salesOrder.id) { $0.fulfilled = true }
        w.shopify.faults = Self.gatewayFailsNextWrite(w.shopify.faults)
        _ = try await w.driver.pushPending()
        _ = try await w.driver.pushPending()

        #expect(w.shopify.faults.applyThenFailNextWrites == 0, "the fault fired")
        #expect(w.shopify.orders().first { $0["id"]?.int == order }?["fulfillment_status"]?.string == "fulfilled")
        #expect(w.shopify.requestCount(method: .post, path: "\(w.shopify.apiPath)/orders/\(order)/fulfillments.json") == 1,
                "the order was read before trying again: it was fulfilled already")
        let held = try w.engine.heldRecords().map(\.reason.message)
        #expect(held.isEmpty, "not held for Shopify's 'Nothing left to fulfill': \(held)")
        await w.stop()
    }

    @Test("a create refused because the e-mail is taken links the existing customer instead of holding it")
    func alreadyRegisteredLinks() async throws {
        let w = try await LoopbackStores.start()
        // The customer appears in WooCommerce between the engine's search and its create (another
        // system, or a create of ours whose answer was lost): the store answers 400 "already registered".
        let racing = RacingCreate(woo: w.woo, email: "ines.salas@ejemplo.mx")
        let driver = SyncDriver(engine: w.engine, host: OordenLedgerHost(ledger: w.ledger),
                                endpoints: [StoreEndpoint(link: "woo", kind: .woocommerce, transport: StoreClient(
                                    transport: racing, credentials: .wooCommerce(WooCommerceCredentials(
                                        consumerKey: w.woo.credentials.consumerKey, consumerSecret: w.woo.credentials.consumerSecret, mode: .basic)),
                                    siteURL: w.woo.configuration.siteURL, clock: w.clock, random: SeededRandom(seed: 9), sleeper: NoSleep(),
                                    logger: .init(label: "race")))],
                                clock: w.clock, logger: .init(label: "race"))
        _ = try w.ledger.createContact(ContactDraft(firstName: "Inés", lastName: "Salas", email: "ines.salas@ejemplo.mx"))

        _ = try await driver.pass()

        #expect(racing.raced, "the store refused the create as already registered")
        let held = try w.engine.heldRecords().map(\.reason.message)
        #expect(held.isEmpty, "linked, not held: \(held)")
        let matching = w.woo.customers().filter { $0["email"]?.string == "ines.salas@ejemplo.mx" }
        #expect(matching.count == 1)
        let entity = try #require(try w.engine.entity(kind: .contact, naturalKey: "ines.salas@ejemplo.mx"))
        #expect(try w.engine.remoteIDs(of: entity)["woo"] == matching.first?["id"]?.int.map(String.init))
        await w.stop()
    }
}

/// A transport in front of the WooCommerce emulator that creates the customer in the store just
/// before forwarding the engine's create of it.
final class RacingCreate: StoreTransport, @unchecked Sendable {
    let woo: WooCommerceEmulator
    let email: String
    private let lock = NSLock()
    private var done = false

    init(woo: WooCommerceEmulator, email: String) {
        self.woo = woo
        self.email = email
    }

    var raced: Bool { lock.withLock { done } }

    func send(_ request: StoreRequest) async throws -> StoreResponse {
        if request.method == .post, request.path.hasSuffix("/customers"), !raced {
            _ = try woo.createCustomer(email: email, firstName: "Inés", lastName: "Salas")
            lock.withLock { done = true }
        }
        guard let response = woo.handle(request).response else {
            throw StoreAPIError(code: .timeout, method: request.method, path: request.path, message: "timed out")
        }
        return response
    }
}
