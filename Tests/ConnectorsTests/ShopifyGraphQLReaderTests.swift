import Connectors
import Foundation
import StoreEmulators
import SyncCore
import Testing

/// Reads through the GraphQL Admin API against the emulator over loopback HTTP. The oracle is the
/// REST platform reading the same shop: one shop, two APIs, the same records.
@Suite struct ShopifyGraphQLReaderTests {
    static let start = ShopifyGraphQLRig.start

    static func withShop(customers: Int, products: Int, _ body: (ShopifyGraphQLRig) async throws -> Void) async throws {
        try await ShopifyGraphQLRig.with(customers: customers, products: products, body)
    }

    static func contacts(_ read: ((StorePage<ContactRecord>) async throws -> Void) async throws -> Void) async throws -> (records: [ContactRecord], pages: [Int]) {
        var records: [ContactRecord] = []
        var pages: [Int] = []
        try await read { page in
            pages.append(page.items.count)
            for item in page.items { records.append(try item.record.get()) }
        }
        return (records.sorted { $0.remoteID < $1.remoteID }, pages)
    }

    @Test("a complete customer read follows the cursors to the end and gives the records REST gives")
    func completeCustomerReadMatchesREST() async throws {
        try await Self.withShop(customers: 230, products: 0) { rig in
            let graphql = try await Self.contacts { try await rig.reader.readContacts(since: nil, $0) }
            let rest = try await Self.contacts { try await rig.rest.readContacts(since: nil, countTotal: false, $0) }
            #expect(graphql.pages == [100, 100, 30])
            #expect(graphql.records.count == 230)
            #expect(graphql.records == rest.records)
            #expect(graphql.records.contains { $0.address?.countryCode != nil && $0.remoteAddressID != nil })
            #expect(await rig.reader.client.pacer.statistics.throttled == 0)
            var totals: Set<Int?> = []
            try await rig.platform.readContacts(since: nil, countTotal: true) { totals.insert($0.total) }
            #expect(totals == [230], "customersCount gives the progress total on every page")
            var productTotals: Set<Int?> = []
            try await rig.platform.readProducts(since: nil, countTotal: true) { productTotals.insert($0.total) }
            #expect(productTotals == [0], "no products: one empty page, total 0")
        }
    }

    @Test("an incremental read returns exactly the customers changed since the time asked")
    func incrementalCustomerRead() async throws {
        try await Self.withShop(customers: 40, products: 0) { rig in
            rig.clock.advance(by: 60_000)
            let since = rig.emulator.storeNowMilliseconds
            let ids = rig.emulator.customers().compactMap { $0["id"]?.int }.sorted()
            try rig.emulator.updateCustomer(id: ids[3], ["note": "cliente mayorista"])
            try rig.emulator.updateCustomer(id: ids[17], ["phone": "+525511112222"])
            let changed = try await Self.contacts { try await rig.reader.readContacts(since: since, $0) }
            #expect(changed.records.map(\.remoteID) == [String(ids[3]), String(ids[17])])
            #expect(changed.records.first?.note == "cliente mayorista")
            let rest = try await Self.contacts { try await rig.rest.readContacts(since: since, countTotal: false, $0) }
            #expect(changed.records == rest.records)
        }
    }

    @Test("a product with 300 variants is read whole, in paged reads and by id; a page's requested cost stays under 1,000")
    func productWithMoreVariantsThanAPage() async throws {
        try await Self.withShop(customers: 0, products: 30) { rig in
            let variants = (1...300).map { ShopifyVariantInput(title: "Talla \($0)", sku: "CAM-\($0)", price: ExactDecimal.parse("199.00")!, stock: $0 % 7) }
            let created = try rig.emulator.createProduct(title: "Camiseta 300 tallas", variants: variants)
            let productID = try #require(created["id"]?.int)
            var read: [String: [ProductRecord]] = [:]
            try await rig.reader.readProducts(since: nil) { page in
                for item in page.items {
                    let records = try item.record.get()
                    read[records[0].remoteProductID] = records
                }
            }
            #expect(read.count == 31)
            let big = try #require(read[String(productID)])
            #expect(big.count == 300)
            #expect(Set(big.compactMap(\.sku)) == Set((1...300).map { "CAM-\($0)" }))
            #expect(Set(big.compactMap(\.remoteVariantID)).count == 300)
            #expect(big.allSatisfy { $0.manageStock && $0.inventoryItemID != nil && $0.price == ExactDecimal.parse("199.00") })
            let byID = try await rig.reader.product(id: String(productID))
            #expect(byID.records == big)
            let payload = try JSONValue.parse(Data(byID.payload.utf8))
            #expect(payload["variants"]?["nodes"]?.array?.count == 300)
            for name in ["Products", "ProductVariants", "Product"] {
                let estimate = try #require(await rig.reader.client.pacer.learnedEstimate(name), "\(name) was never sent")
                #expect(estimate <= 1_000, "\(name) requested \(estimate) points")
            }
            // The other products agree with REST, variant for variant.
            var rest: [String: [ProductRecord]] = [:]
            try await rig.rest.readProducts(since: nil, countTotal: false) { page in
                for item in page.items {
                    let records = try item.record.get()
                    rest[records[0].remoteProductID] = records
                }
            }
            for (id, records) in rest where id != String(productID) {
                #expect(read[id] == records, "product \(id)")
            }
        }
    }

    @Test("the shop's currency and primary location are REST's; our marker metafield is read from customers and products; a record the shop lacks is not_found")
    func shopMarkersAndNotFound() async throws {
        try await Self.withShop(customers: 0, products: 0) { rig in
            let shop = try await rig.reader.shop()
            #expect(shop.currency == (try await rig.rest.currency()))
            #expect(shop.primaryLocationID == (try await rig.rest.primaryLocationID()))
            #expect(shop.primaryLocationID != nil)
            let marker = EntityID(hex: "0123456789abcdef0123456789abcdef")!
            let metafields: JSONValue = [["namespace": "oorden", "key": "entity_id", "value": .string(marker.hex), "type": "single_line_text_field"]]
            let customer = try rig.emulator.createCustomer(["email": "ana@example.mx", "first_name": "Ana", "last_name": "Pérez", "metafields": metafields])
            let product = try rig.emulator.createProduct(["title": "Café de Chiapas", "metafields": metafields,
                                                          "variants": [["option1": "Default Title", "sku": "CAFE-1", "price": "120.00"]]])
            let customerID = String(try #require(customer["id"]?.int))
            let productID = String(try #require(product["id"]?.int))
            let contact = try await rig.reader.contact(id: customerID)
            #expect(contact.record.marker == marker)
            #expect(contact.record.lastName == "Pérez")
            let read = try await rig.reader.product(id: productID)
            #expect(read.records.map(\.marker) == [marker])
            #expect(read.records.first?.variantTitle == nil)
            #expect(read.records.first?.name == "Café de Chiapas")
            await #expect(throws: StoreAPIError.self) { try await rig.reader.contact(id: "999") }
            do {
                _ = try await rig.reader.product(id: "999")
                Issue.record("a missing product was read")
            } catch let error as StoreAPIError {
                #expect(error.code == .notFound)
                #expect(error.message.contains("product 999"))
            }
        }
    }

    @Test("nodes that cannot be read say which field: a REST id where a global id belongs, a product without variants")
    func unreadableNodes() throws {
        let restID: JSONValue = ["id": "7000000000001", "email": "ana@example.mx"]
        do {
            _ = try ShopifyGraphQLRecords.contact(node: restID)
            Issue.record("a REST id was read as a global id")
        } catch let error as RecordDecodingError {
            #expect(error.code == .invalidValue)
            #expect(error.message.contains("field \"id\"") && error.message.contains("gid://shopify/Customer/"))
        }
        let bare: JSONValue = ["id": "gid://shopify/Product/9", "title": "Sin variantes", "variants": ["nodes": []]]
        #expect(throws: RecordDecodingError.self) { try ShopifyGraphQLRecords.productRecords(node: bare) }
        #expect(ShopifyGlobalID.numeric("gid://shopify/MailingAddress/12?model_name=CustomerAddress", type: "MailingAddress") == "12")
        #expect(ShopifyGlobalID.numeric("gid://shopify/Customer/12", type: "Product") == nil)
        #expect(ShopifyGlobalID.numeric("gid://shopify/Customer/", type: "Customer") == nil)
        #expect(ShopifyGraphQLDocuments.updatedSince(Self.start) == "updated_at:>='2026-11-29T15:00:05Z'")
    }

    @Test("orders read through GraphQL — paid, refunded, cancelled, fulfilled, with many lines — are the orders REST reads; the latest orders' tax rates are found")
    func ordersMatchREST() async throws {
        try await ShopifyGraphQLRig.with(customers: 4, products: 30, orders: 12) { rig in
            let variants = rig.emulator.products().compactMap { $0["variants"]?[0]?["id"]?.int }
            func place(_ count: Int) throws -> Int {
                try #require(try rig.emulator.placeOrder(lines: variants.prefix(count).map { ShopifyOrderLine(variantID: $0, quantity: 2) },
                                                         email: "cliente@ejemplo.mx", financialStatus: "paid")["id"]?.int)
            }
            try rig.emulator.cancel(orderID: try place(1), restock: true)
            _ = try rig.emulator.fulfill(orderID: try place(2))
            let refunded = try place(3)
            let line = try #require(rig.emulator.orders().first { $0["id"]?.int == refunded }?["line_items"]?[0]?["id"]?.int)
            _ = try rig.emulator.refund(orderID: refunded, lines: [line: 1], restock: true, note: "talla equivocada")
            // An order with more lines than one GraphQL page holds.
            _ = try place(25)

            var graphql: [OrderRecord] = []
            try await rig.platform.readOrders { page in graphql += try page.items.map { try $0.record.get() } }
            var rest: [OrderRecord] = []
            try await rig.rest.readOrders { page in rest += try page.items.map { try $0.record.get() } }
            #expect(graphql.count == 16)
            #expect(graphql.contains { $0.lines.count == 25 })
            #expect(graphql.contains { $0.lifecycle.cancelled } && graphql.contains { !$0.refunds.isEmpty } && graphql.contains { $0.lifecycle.fulfillment == .fulfilled })
            let byID = Dictionary(uniqueKeysWithValues: rest.map { ($0.remoteID, $0) })
            for order in graphql {
                #expect(order == byID[order.remoteID], "order \(order.remoteID)")
            }
            for name in ["Orders", "OrderLines"] {
                let estimate = try #require(await rig.reader.client.pacer.learnedEstimate(name), "\(name) was never sent")
                #expect(estimate <= 1_000, "\(name) requested \(estimate) points")
            }
            let (rates, source) = try await rig.platform.taxRatesInUse()
            let (restRates, _) = try await rig.rest.taxRatesInUse()
            #expect(rates.map(\.percent) == restRates.map(\.percent))
            #expect(!rates.isEmpty && source.contains("16 orders"))
        }
    }
}
