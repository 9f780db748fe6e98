import Connectors
import Foundation
import StoreEmulators
import SyncCore
import Testing

/// Connector requests and parsers against the WooCommerce emulator over real loopback HTTP
/// (URLSession ↔ EmulatorServer on 127.0.0.1, ephemeral port), signed with OAuth 1.0a as WooCommerce
/// requires over plain HTTP.
@Suite struct RoundTripWooCommerceTests {
    /// 2026-11-29T15:00:05Z
    static let start: Int64 = 1_795_964_405_000
    /// The site URL both sides sign with (OAuth base strings use it, not the ephemeral port).
    static let siteURL = "http://127.0.0.1:8082"

    struct Harness {
        let clock: ManualClock
        let emulator: WooCommerceEmulator
        let client: StoreClient
        let api = WooCommerceAPI()

        func send(_ request: StoreRequest) async throws -> StoreResponse { try await client.send(request) }
    }

    static func withSite(_ body: (Harness) async throws -> Void) async throws {
        let clock = ManualClock(milliseconds: start)
        let emulator = WooCommerceEmulator(configuration: WooCommerceEmulatorConfiguration(siteURL: siteURL), seed: 21, clock: clock, logger: testLogger())
        let server = EmulatorServer(emulator: emulator, logger: testLogger())
        let port = try await server.start()
        let keys = emulator.credentials
        let client = StoreClient(
            transport: URLSessionTransport(origin: "http://127.0.0.1:\(port)", timeoutSeconds: 30, logger: testLogger()),
            credentials: .wooCommerce(Connectors.WooCommerceCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret, mode: .oauth1())),
            siteURL: siteURL, clock: clock, random: SeededRandom(seed: 8), sleeper: ManualClockSleeper(clock: clock), logger: testLogger())
        do {
            try await body(Harness(clock: clock, emulator: emulator, client: client))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func settingsCustomersAndWebhooks() async throws {
        try await Self.withSite { h in
            #expect(try WooCommerceAPI.currency(fromSetting: try await h.send(h.api.currencySetting()).body) == "MXN")

            let marker = try #require(EntityID(hex: "fedcba9876543210fedcba9876543210"))
            let draft = ContactRecord(
                store: .woocommerce, remoteID: "", email: "ana.ruiz@example.mx", firstName: "Ana", lastName: "Ruiz", phone: "+5215512345678",
                company: "Ruiz SA", address: PostalAddress(line1: "Reforma 1", city: "CDMX", region: "CMX", postalCode: "06600", countryCode: "MX"))
            let created = try WooCommerceAPI.contact(from: try await h.send(h.api.createCustomer(draft, marker: marker)).body)
            #expect(created.marker == marker)
            #expect(created.phone == "+5215512345678")
            #expect(created.company == "Ruiz SA")
            #expect(created.address == draft.address)

            let byEmail = try WooCommerceAPI.contacts(from: try await h.send(h.api.customers(email: "Ana.Ruiz@Example.mx ")).body)
            #expect(byEmail.map(\.remoteID) == [created.remoteID])

            h.clock.advance(by: 5_000)
            let edited = try created.applying([.phone: .string("+5215598765432"), .firstName: .string("Anabel")])
            let updated = try WooCommerceAPI.contact(from: try await h.send(h.api.updateCustomer(edited, fields: [.phone, .firstName])).body)
            #expect(updated.phone == "+5215598765432")
            #expect(updated.firstName == "Anabel")
            #expect(updated.company == "Ruiz SA")
            #expect((updated.updatedAt ?? 0) > (created.updatedAt ?? 0))

            _ = try await h.send(h.api.deleteCustomer(id: created.remoteID))
            await #expect(throws: StoreAPIError.self) { _ = try await h.send(h.api.customer(id: created.remoteID)) }

            let hook = try WooCommerceAPI.webhook(from: try await h.send(h.api.createWebhook(name: "Oorden orders", topic: "order.updated", deliveryURL: "http://127.0.0.1:9/hooks", secret: "s3cret")).body)
            #expect(hook.topic == "order.updated")
            #expect(try WooCommerceAPI.webhooks(from: try await h.send(h.api.webhooks()).body).map(\.id) == [hook.id])
            _ = try await h.send(h.api.deleteWebhook(id: hook.id))
            #expect(try WooCommerceAPI.webhooks(from: try await h.send(h.api.webhooks()).body).isEmpty)
        }
    }

    @Test func productsVariationsAndStock() async throws {
        try await Self.withSite { h in
            let draft = ProductRecord(store: .woocommerce, remoteProductID: "", sku: "CAP-1", name: "Cap", price: try ExactDecimal("150.00"), stockQuantity: 5, manageStock: true)
            let created = try #require(try WooCommerceAPI.productRecords(product: JSONValue.parse(try await h.send(h.api.createProduct(draft)).body)).first)
            #expect(created.sku == "CAP-1" && created.price == ExactDecimal(150) && created.stockQuantity == 5 && created.active)

            let onSale = try created.applying([.price: .decimal(ExactDecimal(120)), .compareAtPrice: .decimal(ExactDecimal(150))])
            for request in h.api.updateProduct(onSale, fields: [.price, .compareAtPrice]) { _ = try await h.send(request) }
            _ = try await h.send(h.api.setStock(created, quantity: 9))
            let reread = try #require(try WooCommerceAPI.productRecords(product: JSONValue.parse(try await h.send(h.api.product(id: created.remoteProductID)).body)).first)
            #expect(reread.price == ExactDecimal(120))
            #expect(reread.compareAtPrice == ExactDecimal(150))
            #expect(reread.stockQuantity == 9)

            _ = try await h.send(h.api.archiveProduct(created))
            let archived = try WooCommerceAPI.productRecords(product: JSONValue.parse(try await h.send(h.api.product(id: created.remoteProductID)).body))
            #expect(archived.first?.active == false)

            let parent = try h.emulator.createProduct(["name": "Tee", "type": "variable", "attributes": [["name": "Color", "variation": true, "options": ["Red", "Blue"]]]])
            for (color, sku) in [("Red", "TEE-R"), ("Blue", "TEE-B")] {
                try h.emulator.createVariation(productID: parent, ["sku": .string(sku), "regular_price": "199.00", "attributes": [["name": "Color", "option": .string(color)]]])
            }
            let productJSON = try JSONValue.parse(try await h.send(h.api.product(id: String(parent))).body)
            #expect(WooCommerceAPI.isVariable(productJSON))
            let variations = try WooCommerceAPI.variationObjects(from: try await h.send(h.api.variations(productID: String(parent))).body)
            let records = try WooCommerceAPI.productRecords(product: productJSON, variations: variations)
            #expect(Set(records.map(\.name)) == ["Tee - Red", "Tee - Blue"])
            #expect(Set(records.compactMap(\.sku)) == ["TEE-R", "TEE-B"])
            #expect(records.allSatisfy { $0.remoteProductID == String(parent) && $0.remoteVariantID != nil && $0.price == ExactDecimal(199) })
        }
    }

    @Test func ordersReadUpdateCancel() async throws {
        try await Self.withSite { h in
            let tax = try h.emulator.createTaxRate(rate: "16.0000", name: "IVA", country: "MX")
            let product = try h.emulator.createSimpleProduct(name: "Mug", sku: "MUG-1", regularPrice: "100.00", stock: 5)
            let id = try h.emulator.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: product, quantity: 2)], taxRateID: tax))

            let fetched = try WooCommerceAPI.order(from: try await h.send(h.api.order(id: String(id))).body)
            #expect(fetched.storeStatus == "processing")
            #expect(fetched.lifecycle.financial == .paid)
            #expect(fetched.lines.map(\.sku) == ["MUG-1"])
            #expect(fetched.lines[0].quantity == 2)
            #expect(fetched.subtotal == ExactDecimal(200))
            #expect(fetched.totalTax == ExactDecimal(32))
            #expect(fetched.total == ExactDecimal(232))
            let rates = try WooCommerceAPI.taxRates(from: try await h.send(h.api.taxes()).body)
            #expect(fetched.resolvingTaxRates(rates).taxPercents == [ExactDecimal(16)])
            #expect(h.emulator.stock(productID: product) == 3)

            let noted = try WooCommerceAPI.order(from: try await h.send(h.api.updateOrder(id: String(id), .init(customerNote: "Deliver after 5pm"))).body)
            #expect(noted.note == "Deliver after 5pm")

            let cancelled = try WooCommerceAPI.order(from: try await h.send(h.api.cancelOrder(id: String(id))).body)
            #expect(cancelled.storeStatus == "cancelled")
            #expect(cancelled.lifecycle.cancelled)
            #expect(h.emulator.stock(productID: product) == 5)  // stock restored
        }
    }

    @Test func refundsAreReadFromTheOrderAndTheRefundList() async throws {
        try await Self.withSite { h in
            let product = try h.emulator.createSimpleProduct(name: "Mug", sku: "MUG-1", regularPrice: "100.00", stock: 5)
            let id = try h.emulator.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: product, quantity: 2)], status: "completed"))
            let placed = try WooCommerceAPI.order(from: try await h.send(h.api.order(id: String(id))).body)
            let lineIDText = try #require(placed.lines.first?.remoteID)
            let lineID = try #require(Int(lineIDText))
            let refundID = try h.emulator.refundOrder(id, amount: ExactDecimal(100), lines: [WooCommerceRefundLine(lineItemID: lineID, quantity: 1, refundTotal: ExactDecimal(100))], reason: "broken")

            let order = try WooCommerceAPI.order(from: try await h.send(h.api.order(id: String(id))).body)
            #expect(order.lifecycle.financial == .partiallyRefunded)
            #expect(order.lifecycle.fulfillment == .fulfilled)
            #expect(order.refunds.map(\.remoteID) == [String(refundID)])
            #expect(order.refundedTotal == ExactDecimal(100))
            let listed = try WooCommerceAPI.refunds(from: try await h.send(h.api.refunds(orderID: String(id))).body)
            #expect(listed.map(\.amount) == [ExactDecimal(100)])
            #expect(listed.first?.reason == "broken")
            #expect(listed.first?.lines == [OrderRefund.Line(lineID: String(lineID), quantity: 1, subtotal: ExactDecimal(100))])
        }
    }

    @Test func seededSiteParsesCompletely() async throws {
        try await Self.withSite { h in
            try h.emulator.seed(customers: 12, products: 6, orders: 15)
            let rates = try WooCommerceAPI.taxRates(from: try await h.send(h.api.taxes()).body)
            var orders: [OrderRecord] = []
            var page = 1
            while true {
                let response = try await h.send(h.api.orders(page: page, perPage: 4))
                orders += try WooCommerceAPI.orders(from: response.body).map { $0.resolvingTaxRates(rates) }
                guard let next = WooCommercePage.nextPage(after: page, headers: response.headers) else { break }
                page = next
            }
            #expect(orders.count == h.emulator.orders().count)
            for o in orders {
                #expect(o.currency == "MXN")
                #expect(o.unresolvedTaxRateIDs.isEmpty, "order \(o.number) has taxes missing from /taxes")
                let shipping = o.shippingLines.reduce(ExactDecimal.zero) { $0 + $1.price }
                let fees = o.lines.filter { $0.remoteProductID == nil }.reduce(ExactDecimal.zero) { $0 + $1.total }
                #expect(o.total == o.subtotal + fees + shipping + o.totalTax, "order \(o.number): total \(o.total)")
            }
            var records: [ProductRecord] = []
            for product in try WooCommerceAPI.productObjects(from: try await h.send(h.api.products()).body) {
                var variations: [JSONValue] = []
                if WooCommerceAPI.isVariable(product), let id = product["id"]?.int {
                    variations = try WooCommerceAPI.variationObjects(from: try await h.send(h.api.variations(productID: String(id))).body)
                }
                records += try WooCommerceAPI.productRecords(product: product, variations: variations)
            }
            #expect(!records.isEmpty)
            #expect(Set(records.map { "\($0.remoteProductID)/\($0.remoteVariantID ?? "-")" }).count == records.count)
            let customers = try WooCommerceAPI.contacts(from: try await h.send(h.api.customers()).body)
            #expect(customers.count == h.emulator.customers().count)
        }
    }

    @Test func pagingAndIncrementalFilter() async throws {
        try await Self.withSite { h in
            var ids: [String] = []
            for i in 0..<7 {
                ids.append(String(try h.emulator.createCustomer(email: "c\(i)@example.mx", firstName: "C\(i)", lastName: "Test")))
            }
            var seen: [String] = []
            var page = 1
            var pages = 0
            while true {
                let response = try await h.send(h.api.customers(page: page, perPage: 3))
                seen += try WooCommerceAPI.contacts(from: response.body).map(\.remoteID)
                pages += 1
                guard let next = WooCommercePage.nextPage(after: page, headers: response.headers) else { break }
                page = next
            }
            #expect(pages == 3)
            #expect(seen == ids)  // orderby=id asc

            var products: [Int] = []
            for i in 0..<4 {
                products.append(try h.emulator.createSimpleProduct(name: "P\(i)", sku: "P-\(i)", regularPrice: "10.00", stock: nil))
                h.clock.advance(by: 1_000)
            }
            h.clock.advance(by: 60_000)
            let cursor = h.clock.nowMilliseconds()
            h.clock.advance(by: 1_000)
            try h.emulator.editProduct(products[2], ["regular_price": "12.00"])
            let recent = try WooCommerceAPI.productObjects(from: try await h.send(h.api.products(modifiedAfter: cursor)).body)
                .flatMap { try WooCommerceAPI.productRecords(product: $0) }
            #expect(recent.map(\.sku) == ["P-2"])
            #expect(recent.first?.price == ExactDecimal(12))
        }
    }
}
