import Connectors
import Foundation
import StoreEmulators
import SyncCore
import Testing

/// Connector requests and parsers against the Shopify emulator over real loopback HTTP
/// (URLSession ↔ EmulatorServer on 127.0.0.1, ephemeral port), signed and paced by ``StoreClient``.
@Suite struct RoundTripShopifyTests {
    /// 2026-11-29T15:00:05Z
    static let start: Int64 = 1_795_964_405_000

    struct Harness {
        let clock: ManualClock
        let emulator: ShopifyEmulator
        let client: StoreClient
        let api = ShopifyAPI(version: "2024-10")

        func send(_ request: StoreRequest) async throws -> StoreResponse { try await client.send(request) }
    }

    /// Runs `body` against a fresh emulator served on an ephemeral loopback port; always stops the server.
    static func withShop(_ body: (Harness) async throws -> Void) async throws {
        let clock = ManualClock(milliseconds: start)
        let emulator = ShopifyEmulator(seed: 11, clock: clock)
        let server = EmulatorServer(emulator: emulator, logger: testLogger())
        let port = try await server.start()
        let origin = "http://127.0.0.1:\(port)"
        let client = StoreClient(
            transport: URLSessionTransport(origin: origin, timeoutSeconds: 30, logger: testLogger()),
            credentials: .shopify(.accessToken(emulator.credentials.accessToken)), siteURL: origin,
            pacer: ShopifyRateLimitPacer(), clock: clock, random: SeededRandom(seed: 5),
            sleeper: ManualClockSleeper(clock: clock), logger: testLogger())
        do {
            try await body(Harness(clock: clock, emulator: emulator, client: client))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func shopCustomersAndWebhooks() async throws {
        try await Self.withShop { h in
            let shop = try ShopifyAPI.shopSettings(from: try await h.send(h.api.shop()).body)
            #expect(shop.currency == "MXN")
            #expect(shop.primaryLocationID == "68000000001")

            let marker = try #require(EntityID(hex: "0123456789abcdef0123456789abcdef"))
            let draft = ContactRecord(
                store: .shopify, remoteID: "", email: "ana.ruiz@example.mx", firstName: "Ana", lastName: "Ruiz", phone: "+5215512345678",
                company: "Ruiz SA", note: "VIP", address: PostalAddress(line1: "Reforma 1", city: "CDMX", region: "CMX", postalCode: "06600", countryCode: "MX"))
            let created = try ShopifyAPI.contact(from: try await h.send(h.api.createCustomer(draft, marker: marker)).body)
            #expect(created.email == "ana.ruiz@example.mx")
            #expect(created.company == "Ruiz SA")
            #expect(created.address?.city == "CDMX")
            let metafields = try await h.send(h.api.customerMetafields(customerID: created.remoteID))
            #expect(try ShopifyAPI.marker(fromMetafields: metafields.body) == marker)

            let found = try ShopifyAPI.contacts(from: try await h.send(h.api.searchCustomers(email: " ANA.RUIZ@example.mx")).body)
            #expect(found.map(\.remoteID) == [created.remoteID])

            h.clock.advance(by: 5_000)
            let edited = try created.applying([.note: .string("VIP, pays cash"), .lastName: .string("Ruiz Gómez")])
            let updated = try ShopifyAPI.contact(from: try await h.send(h.api.updateCustomer(edited, fields: [.note, .lastName])).body)
            #expect(updated.note == "VIP, pays cash")
            #expect(updated.lastName == "Ruiz Gómez")
            #expect(updated.email == "ana.ruiz@example.mx")  // untouched fields stay
            #expect((updated.updatedAt ?? 0) > (created.updatedAt ?? 0))

            let moved = try updated.applying([.company: .string("Ruiz y Asociados")])
            #expect(moved.remoteAddressID != nil)
            let relocated = try ShopifyAPI.contact(from: try await h.send(h.api.updateCustomer(moved, fields: [.company])).body)
            #expect(relocated.company == "Ruiz y Asociados")
            #expect(relocated.address == created.address)
            #expect(relocated.remoteAddressID == moved.remoteAddressID)  // edited in place, not a new address

            _ = try await h.send(h.api.deleteCustomer(id: created.remoteID))
            await #expect(throws: StoreAPIError.self) { _ = try await h.send(h.api.customer(id: created.remoteID)) }

            let hook = try ShopifyAPI.webhook(from: try await h.send(h.api.registerWebhook(topic: "orders/create", address: "http://127.0.0.1:9/hooks")).body)
            #expect(hook.topic == "orders/create")
            #expect(try ShopifyAPI.webhooks(from: try await h.send(h.api.webhooks()).body).map(\.id) == [hook.id])
            _ = try await h.send(h.api.deleteWebhook(id: hook.id))
            #expect(try ShopifyAPI.webhooks(from: try await h.send(h.api.webhooks()).body).isEmpty)
        }
    }

    @Test func productsVariantsAndInventoryDeltas() async throws {
        try await Self.withShop { h in
            let red = ProductRecord(store: .shopify, remoteProductID: "", sku: "TEE-R", name: "Tee - Red", productTitle: "Tee", variantTitle: "Red", price: try ExactDecimal("199.00"), manageStock: true)
            let blue = ProductRecord(store: .shopify, remoteProductID: "", sku: "TEE-B", name: "Tee - Blue", productTitle: "Tee", variantTitle: "Blue", price: try ExactDecimal("209.50"), manageStock: true)
            let records = try ShopifyAPI.productRecordsOfProduct(from: try await h.send(h.api.createProduct(title: "Tee", variants: [red, blue])).body)
            #expect(records.map(\.sku) == ["TEE-R", "TEE-B"])
            #expect(records.map(\.name) == ["Tee - Red", "Tee - Blue"])
            #expect(records[1].price == (try ExactDecimal("209.5")))
            let item = try #require(records[0].inventoryItemID)

            let edited = try records[1].applying([.price: .decimal(try ExactDecimal("189.90")), .barcode: .string("7501234567890")])
            for request in h.api.updateProduct(edited, fields: [.price, .barcode]) { _ = try await h.send(request) }
            let reread = try ShopifyAPI.productRecordsOfProduct(from: try await h.send(h.api.product(id: records[0].remoteProductID)).body)
            #expect(reread[1].price == (try ExactDecimal("189.9")))
            #expect(reread[1].barcode == "7501234567890")
            #expect(reread[0].price == (try ExactDecimal("199")))  // the other variant is untouched

            let location = "68000000001"
            _ = try await h.send(h.api.setInventory(inventoryItemID: item, locationID: location, available: 10))
            let adjusted = try ShopifyAPI.inventoryLevel(from: try await h.send(h.api.adjustInventory(inventoryItemID: item, locationID: location, delta: -3)).body)
            #expect(adjusted.available == 7)
            let levels = try ShopifyAPI.inventoryLevels(from: try await h.send(h.api.inventoryLevels(inventoryItemIDs: [item], locationIDs: [location])).body)
            #expect(levels.map(\.available) == [7])
            let variantRecord = try ShopifyAPI.productRecords(from: try await h.send(h.api.products()).body).first { $0.sku == "TEE-R" }
            #expect(variantRecord?.stockQuantity == 7)

            _ = try await h.send(h.api.archiveProduct(id: records[0].remoteProductID))
            let archived = try ShopifyAPI.productRecordsOfProduct(from: try await h.send(h.api.product(id: records[0].remoteProductID)).body)
            #expect(archived.allSatisfy { !$0.active })
        }
    }

    @Test func ordersReadUpdateCancel() async throws {
        try await Self.withShop { h in
            let product = try h.emulator.createProduct(title: "Mug", variants: [ShopifyVariantInput(sku: "MUG-1", price: try ExactDecimal("116.00"), stock: 5)])
            let variant = try #require(try ShopifyAPI.productRecords(product: product).first)
            let variantIDText = try #require(variant.remoteVariantID)
            let variantID = try #require(Int(variantIDText))
            let customer = try h.emulator.createCustomer(email: "luis@example.mx", firstName: "Luis", lastName: "Paz")
            let placed = try h.emulator.placeOrder(lines: [ShopifyOrderLine(variantID: variantID, quantity: 2)], customerID: customer["id"]?.int)
            let orderID = try #require(placed["id"]?.int.map { String($0) })

            let order = try ShopifyAPI.order(from: try await h.send(h.api.order(id: orderID)).body)
            #expect(order.currency == "MXN")
            #expect(order.customerRemoteID == customer["id"]?.int.map(String.init))
            #expect(order.lines.map(\.sku) == ["MUG-1"])
            #expect(order.lines[0].quantity == 2)
            #expect(order.total == (try ExactDecimal("232.00")))
            #expect(order.taxPercents == [ExactDecimal(16)])
            #expect(order.lifecycle.financial == .paid)
            #expect(order.lifecycle.cancelled == false)

            let noted = try ShopifyAPI.order(from: try await h.send(h.api.updateOrder(id: orderID, .init(note: "Deliver after 5pm"))).body)
            #expect(noted.note == "Deliver after 5pm")

            _ = try await h.send(h.api.cancelOrder(id: orderID, restock: true))
            let cancelled = try ShopifyAPI.order(from: try await h.send(h.api.order(id: orderID)).body)
            #expect(cancelled.lifecycle.cancelled)
            #expect(cancelled.lifecycle.cancelledAt != nil)
            #expect(h.emulator.inventoryLevel(inventoryItemID: Int(variant.inventoryItemID ?? "") ?? 0) == 5)  // restocked
        }
    }

    @Test func refundsAreReadFromTheOrderAndTheRefundList() async throws {
        try await Self.withShop { h in
            let product = try h.emulator.createProduct(title: "Mug", variants: [ShopifyVariantInput(sku: "MUG-1", price: try ExactDecimal("116.00"), stock: 5)])
            let variantIDText = try #require(try ShopifyAPI.productRecords(product: product).first?.remoteVariantID)
            let variantID = try #require(Int(variantIDText))
            let placed = try h.emulator.placeOrder(lines: [ShopifyOrderLine(variantID: variantID, quantity: 2)], email: "guest@example.mx")
            let orderID = try #require(placed["id"]?.int)
            let lineID = try #require(placed["line_items"]?[0]?["id"]?.int)
            _ = try h.emulator.refund(orderID: orderID, lines: [lineID: 1], restock: true, note: "broken")

            let order = try ShopifyAPI.order(from: try await h.send(h.api.order(id: String(orderID))).body)
            #expect(order.email == "guest@example.mx")
            #expect(order.lifecycle.financial == .partiallyRefunded)
            let refund = try #require(order.refunds.first)
            #expect(refund.amount == (try ExactDecimal("116.00")))
            #expect(refund.reason == "broken")
            #expect(refund.lines.map(\.lineID) == [String(lineID)])
            #expect(refund.lines.map(\.quantity) == [1])
            let listed = try ShopifyAPI.refunds(from: try await h.send(h.api.refunds(orderID: String(orderID))).body)
            #expect(listed == order.refunds)
        }
    }

    @Test func seededShopParsesCompletelyAcrossPages() async throws {
        try await Self.withShop { h in
            h.emulator.seed(customers: 12, products: 6, orders: 15)
            var orders: [OrderRecord] = []
            var request = h.api.orders(limit: 4)
            while true {
                let response = try await h.send(request)
                orders += try ShopifyAPI.orders(from: response.body)
                guard let next = ShopifyPage.nextPageInfo(from: response.headers) else { break }
                request = h.api.ordersPage(pageInfo: next, limit: 4)
            }
            #expect(orders.count == h.emulator.orders().count)
            #expect(Set(orders.map(\.remoteID)).count == orders.count)
            for o in orders {
                #expect(o.currency == "MXN")
                #expect(!o.lines.isEmpty)
                // Every tax carries its percentage, and the lines add up to the order's total.
                #expect(o.taxLines.allSatisfy { $0.ratePercent != nil })
                let shipping = o.shippingLines.reduce(ExactDecimal.zero) { $0 + $1.price }
                let expected = o.taxesIncluded ? o.subtotal + shipping : o.subtotal + shipping + o.totalTax
                #expect(o.total == expected, "order \(o.number): total \(o.total) vs subtotal \(o.subtotal) + shipping \(shipping) + tax \(o.totalTax)")
            }
            let products = try ShopifyAPI.productRecords(from: try await h.send(h.api.products()).body)
            #expect(products.count == h.emulator.products().reduce(0) { $0 + ($1["variants"]?.array?.count ?? 0) })
            let customers = try ShopifyAPI.contacts(from: try await h.send(h.api.customers()).body)
            #expect(customers.count == h.emulator.customers().count)
        }
    }

    @Test func pagingAndIncrementalFilter() async throws {
        try await Self.withShop { h in
            var ids: [Int] = []
            for i in 0..<7 {
                let c = try h.emulator.createCustomer(email: "c\(i)@example.mx", firstName: "C\(i)", lastName: "Test")
                ids.append(try #require(c["id"]?.int))
                h.clock.advance(by: 1_000)
            }
            var seen: [String] = []
            var request = h.api.customers(limit: 3)
            var pages = 0
            while true {
                let response = try await h.send(request)
                seen += try ShopifyAPI.contacts(from: response.body).map(\.remoteID)
                pages += 1
                guard let next = ShopifyPage.nextPageInfo(from: response.headers) else { break }
                request = h.api.customersPage(pageInfo: next, limit: 3)
                #expect(request.query.map(\.name) == ["limit", "page_info"])
            }
            #expect(pages == 3)
            let expected = Set(ids.map { String($0) })
            #expect(Set(seen) == expected)
            #expect(seen.count == 7)

            h.clock.advance(by: 60_000)
            let cursor = h.clock.nowMilliseconds()
            _ = try h.emulator.updateCustomer(id: ids[1], ["note": "changed"])
            _ = try h.emulator.updateCustomer(id: ids[4], ["note": "changed"])
            let recent = try ShopifyAPI.contacts(from: try await h.send(h.api.customers(updatedAtMin: cursor)).body)
            let recentIDs = Set(recent.map(\.remoteID))
            #expect(recentIDs == Set([String(ids[1]), String(ids[4])]))
            #expect(try ShopifyAPI.count(from: try await h.send(h.api.customersCount(updatedAtMin: cursor)).body) == 2)
        }
    }
}
