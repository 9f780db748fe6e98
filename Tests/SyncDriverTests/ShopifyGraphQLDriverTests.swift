import Connectors
import Foundation
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine
import Testing

/// The driver syncing a Shopify store through the GraphQL platform, over loopback HTTP: the same
/// merchant scenarios the REST platform passes, and what only GraphQL can promise.
@Suite("Shopify through GraphQL, end to end (real loopback HTTP)")
struct ShopifyGraphQLDriverTests {
    @Test("import: Shopify's customers and products (every variant) reach Oorden; Oorden's new contact and product reach Shopify, each once")
    func importAndCreate() async throws {
        let w = try await LoopbackStores.start(shopifyCustomers: 6, shopifyProducts: 4, shopifyAPI: .graphQL)
        _ = try w.ledger.createContact(ContactDraft(firstName: "Rocío", lastName: "Durán", email: "rocio.duran@ejemplo.mx"))
        _ = try w.ledger.createProduct(ProductDraft(sku: "GQL-1", name: "Taza de barro", price: try ExactDecimal("120.00")))
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()

        let variants = w.shopify.products().flatMap { $0["variants"]?.array ?? [] }.compactMap { $0["sku"]?.string }
        for sku in variants where sku != "GQL-1" {
            #expect(try w.ledger.product(sku: sku) != nil, "Shopify's \(sku) reached Oorden")
        }
        #expect(variants.filter { $0 == "GQL-1" }.count == 1, "Oorden's product in Shopify once")
        #expect(w.shopify.customers().filter { $0["email"]?.string == "rocio.duran@ejemplo.mx" }.count == 1)
        #expect(try w.engine.heldRecords().isEmpty)
        // The import came by bulk export: its result files are the only other requests.
        let notGraphQL = w.shopify.requestCounts.keys.filter { !$0.hasSuffix("graphql.json") && !$0.hasPrefix("GET /bulk-results/") }
        #expect(notGraphQL.isEmpty, "nothing went through REST: \(notGraphQL.sorted())")
        #expect(w.shopify.bulkOperationsRun >= 2, "customers and products were read by bulk export")
        await w.stop()
    }

    @Test("a productSet applied and answered 504 leaves one product with the SKU, linked, nothing held: the SKU search finds it")
    func productCreateAnswered504() async throws {
        let w = try await LoopbackStores.start(shopifyAPI: .graphQL)
        _ = try await w.driver.pass()
        // Incremental passes start no bulk export, so the productSet is the first write the fault meets.
        w.clock.advance(by: 60_000)
        _ = try w.ledger.createProduct(ProductDraft(sku: "GQL-504", name: "Taza de barro", price: try ExactDecimal("120.00")))
        let exportsBefore = w.shopify.bulkOperationsRun
        w.shopify.faults = InDoubtWriteTests.gatewayFailsNextWrite(w.shopify.faults)
        _ = try await w.driver.pass(polling: .incremental)
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass(polling: .incremental)

        #expect(w.shopify.faults.applyThenFailNextWrites == 0, "the fault fired")
        #expect(w.shopify.bulkOperationsRun == exportsBefore, "on the productSet: no bulk export was started")
        let withSKU = w.shopify.products().filter { p in (p["variants"]?.array ?? []).contains { $0["sku"]?.string == "GQL-504" } }
        #expect(withSKU.count == 1, "one product with the SKU in Shopify, not a second from a blind retry: \(withSKU.count)")
        #expect(try w.engine.heldRecords().isEmpty)
        let entity = try #require(try w.engine.entity(kind: .product, naturalKey: "GQL-504"))
        #expect(try w.engine.remoteIDs(of: entity)["shopify"] != nil, "our product is linked to the one Shopify made")
        await w.stop()
    }

    @Test("a stock adjustment applied and answered 503 is resent with its idempotency key and applied once: Oorden and Shopify agree")
    func stockAdjustmentAnswered503() async throws {
        let w = try await LoopbackStores.start(shopifyAPI: .graphQL)
        let product = try w.ledger.createProduct(ProductDraft(sku: "GQL-STOCK", name: "Jarro", price: try ExactDecimal("45.00")))
        _ = try w.ledger.recordMovement(productID: product.id, quantity: 10, kind: .purchase)
        _ = try await w.driver.pass()
        let item = try #require(w.shopify.products().flatMap { $0["variants"]?.array ?? [] }.first { $0["sku"]?.string == "GQL-STOCK" }?["inventory_item_id"]?.int)
        #expect(w.shopify.inventoryLevel(inventoryItemID: item) == 10)
        let replaysBefore = w.shopify.idempotentReplays

        w.clock.advance(by: 60_000)
        _ = try w.ledger.recordMovement(productID: product.id, quantity: 5, kind: .purchase)
        w.shopify.faults = InDoubtWriteTests.gatewayFailsNextWrite(w.shopify.faults, status: 503)
        _ = try await w.driver.pass(polling: .incremental)
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass(polling: .incremental)

        #expect(w.shopify.faults.applyThenFailNextWrites == 0, "the fault fired")
        #expect(w.shopify.inventoryLevel(inventoryItemID: item) == 15, "applied once")
        #expect(w.shopify.idempotentReplays == replaysBefore + 1, "the resend carried the same key and was answered from the first")
        #expect(try w.ledger.stockOnHand(productID: product.id) == 15, "and not counted again as a Shopify change")
        let entity = try #require(try w.engine.entity(kind: .product, naturalKey: "GQL-STOCK"))
        #expect(try w.engine.stock(of: entity) == 15)
        #expect(try w.engine.heldRecords().isEmpty)
        await w.stop()
    }

    @Test("an Oorden user's edit of a contact's phone and address reaches Shopify: the default address is edited, not a second one added",
          arguments: [ShopifyAPIChoice.graphQL, .rest])
    func contactEditReachesShopify(api: ShopifyAPIChoice) async throws {
        let w = try await LoopbackStores.start(shopifyAPI: api)
        let contact = try w.ledger.createContact(ContactDraft(firstName: "Rocío", lastName: "Durán", email: "rocio.duran@ejemplo.mx"))
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try w.ledger.updateContact(contact.id) {
            $0.phone = "+525511112222"
            $0.company = "Cerámica Durán"
        }
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try w.ledger.updateContact(contact.id) { $0.company = "Cerámica Durán e Hijos" }
        _ = try await w.driver.pass()

        let customer = try #require(w.shopify.customers().first { $0["email"]?.string == "rocio.duran@ejemplo.mx" })
        #expect(customer["phone"]?.string == "+525511112222")
        let addresses = customer["addresses"]?.array ?? []
        #expect(addresses.count == 1, "one address, edited: \(addresses)")
        #expect(addresses.first?["company"]?.string == "Cerámica Durán e Hijos")
        #expect(try w.engine.heldRecords().isEmpty)
        await w.stop()
    }

    @Test("Shopify sales become sales orders; one fulfilled in Oorden, applied and answered 504, is fulfilled once in Shopify; an Oorden cancel of a pending one reaches Shopify")
    func orderLifecycleThroughGraphQL() async throws {
        let w = try await LoopbackStores.start(shopifyProducts: 2, shopifyAPI: .graphQL)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        _ = try await w.driver.pass()
        let variant = try #require(w.shopify.products().first?["variants"]?[0]?["id"]?.int)
        func place(_ status: String) throws -> Int {
            try #require(try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 1)], email: "envio@ejemplo.mx",
                                                  financialStatus: status, shippingAddress: ["first_name": "Eva", "last_name": "Mar"])["id"]?.int)
        }
        // A paid order is a registered sale; a pending one is still a sales order that may be cancelled.
        let fulfilled = try place("paid"), cancelled = try place("pending")
        for _ in 0..<2 {
            w.clock.advance(by: 60_000)
            _ = try await w.driver.pass()
        }
        let toFulfil = try #require(try w.ledger.salesOrder(externalReference: ExternalReference(store: "shopify", remoteID: String(fulfilled))))
        let toCancel = try #require(try w.ledger.salesOrder(externalReference: ExternalReference(store: "shopify", remoteID: String(cancelled))))

        w.clock.advance(by: 60_000)
        _ = try w.ledger.updateSalesOrder(toFulfil.id) { $0.fulfilled = true }
        _ = try w.ledger.cancelSalesOrder(toCancel.id)
        w.shopify.faults = InDoubtWriteTests.gatewayFailsNextWrite(w.shopify.faults)
        _ = try await w.driver.pushPending()
        _ = try await w.driver.pushPending()

        #expect(w.shopify.faults.applyThenFailNextWrites == 0, "the fault fired")
        let orders = Dictionary(uniqueKeysWithValues: w.shopify.orders().compactMap { o in o["id"]?.int.map { ($0, o) } })
        #expect(orders[fulfilled]?["fulfillment_status"]?.string == "fulfilled")
        #expect(orders[cancelled]?["cancelled_at"].map { !$0.isNull } == true, "cancelled in Shopify")
        // A second fulfillmentCreate would be refused ("nothing left to fulfill") and the order held.
        let held = try w.engine.heldRecords().map(\.reason.message)
        #expect(held.isEmpty, "the order was read before trying again, so nothing is held: \(held)")
        await w.stop()
    }

    @Test("a product of 250 variants syncs both ways: imported as 250 SKUs; Oorden's price and stock of the 250th reach Shopify, Shopify's price of the 240th reaches Oorden")
    func productOf250VariantsSyncsBothWays() async throws {
        let w = try await LoopbackStores.start(shopifyAPI: .graphQL)
        let inputs = try (1...250).map { ShopifyVariantInput(title: "Talla \($0)", sku: "V250-\($0)", price: try ExactDecimal("199.00"), stock: 3) }
        let created = try w.shopify.createProduct(title: "Camiseta de 250 tallas", variants: inputs)
        func variant(_ sku: String) throws -> JSONValue {
            let product = try #require(w.shopify.products().first { $0["id"] == created["id"] })
            return try #require(product["variants"]?.array?.first { $0["sku"]?.string == sku })
        }
        _ = try await w.driver.pass()
        let imported = try (1...250).filter { try w.ledger.product(sku: "V250-\($0)") != nil }
        #expect(imported.count == 250, "every variant reached Oorden (REST reads 100)")

        w.clock.advance(by: 60_000)
        let last = try #require(try w.ledger.product(sku: "V250-250"))
        _ = try w.ledger.updateProduct(last.id) { $0.price = try ExactDecimal("249.00") }
        _ = try w.ledger.recordMovement(productID: last.id, quantity: 7, kind: .purchase)
        _ = try w.shopify.updateVariant(id: try #require(try variant("V250-240")["id"]?.int), ["price": "210.00"])
        for _ in 0..<2 {
            w.clock.advance(by: 60_000)
            _ = try await w.driver.pass()
        }

        let shopifyLast = try variant("V250-250")
        #expect(shopifyLast["price"]?.string == "249.00")
        #expect(w.shopify.inventoryLevel(inventoryItemID: try #require(shopifyLast["inventory_item_id"]?.int)) == 10)
        #expect(try w.ledger.product(sku: "V250-240")?.price == ExactDecimal("210.00"))
        #expect(try variant("V250-1")["price"]?.string == "199.00", "the other variants untouched")
        #expect(try w.engine.heldRecords().isEmpty)
        await w.stop()
    }

    @Test("the process dies after Shopify applied a stock adjustment and before its completion was recorded: after the restart it is resent with the same key and counted once")
    func crashAfterAdjustmentCountsOnce() async throws {
        let w = try await LoopbackStores.start(shopifyAPI: .graphQL)
        let product = try w.ledger.createProduct(ProductDraft(sku: "GQL-CRASH", name: "Olla", price: try ExactDecimal("80.00")))
        _ = try w.ledger.recordMovement(productID: product.id, quantity: 10, kind: .purchase)
        _ = try await w.driver.pass()
        let item = try #require(w.shopify.products().flatMap { $0["variants"]?.array ?? [] }.first { $0["sku"]?.string == "GQL-CRASH" }?["inventory_item_id"]?.int)
        #expect(w.shopify.inventoryLevel(inventoryItemID: item) == 10)

        // Oorden receives 5 more; the adjustment reaches Shopify and the process dies before it hears back.
        w.clock.advance(by: 60_000)
        _ = try w.ledger.recordMovement(productID: product.id, quantity: 5, kind: .purchase)
        var dying = w.endpoints[0]
        let crash = DiesAfterStockAdjustment(inner: dying.transport)
        dying.transport = crash
        let before = SyncDriver(engine: w.engine, host: OordenLedgerHost(ledger: w.ledger), endpoints: [dying, w.endpoints[1]],
                                clock: w.clock, logger: .init(label: "crash"))
        await #expect(throws: ProcessDied.self) { _ = try await before.pass() }
        #expect(crash.died, "the adjustment was sent")
        #expect(w.shopify.inventoryLevel(inventoryItemID: item) == 15, "Shopify applied it")
        let replays = w.shopify.idempotentReplays

        // The restart: a new driver over the same engine sends the adjustment again, with the same key.
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()
        #expect(w.shopify.idempotentReplays == replays + 1, "answered from the first application")
        #expect(w.shopify.inventoryLevel(inventoryItemID: item) == 15, "counted once in Shopify")
        #expect(try w.ledger.stockOnHand(productID: product.id) == 15, "and once in Oorden")
        let entity = try #require(try w.engine.entity(kind: .product, naturalKey: "GQL-CRASH"))
        #expect(try w.engine.stock(of: entity) == 15)
        #expect(try w.engine.outbox().isEmpty, "the write completed")
        await w.stop()
    }
}

/// The process dying: an error the driver does not handle, so the pass ends where it is.
struct ProcessDied: Error {}

/// Forwards every request; after forwarding the first stock adjustment, the process "dies" before the
/// answer is read.
final class DiesAfterStockAdjustment: StoreTransport, @unchecked Sendable {
    let inner: any StoreTransport
    private let lock = NSLock()
    private var done = false

    init(inner: any StoreTransport) { self.inner = inner }

    var died: Bool { lock.withLock { done } }

    func send(_ request: StoreRequest) async throws -> StoreResponse {
        let response = try await inner.send(request)
        if !died, String(decoding: request.body, as: UTF8.self).contains("inventoryAdjustQuantities") {
            lock.withLock { done = true }
            throw ProcessDied()
        }
        return response
    }
}
