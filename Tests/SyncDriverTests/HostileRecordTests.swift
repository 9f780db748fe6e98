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

/// Store records a careless or hostile store sends: control characters in text, products that have
/// nothing to sell (docs/sync-semantics.md, "Text" and "Held records").
@Suite("Hostile store records")
struct HostileRecordTests {
    @Test("a NUL and an escape code in a Shopify customer's names: cleaned once, the same everywhere, never written back")
    func controlCharactersCleanedNotWrittenBack() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 0)
        let created = try w.shopify.createCustomer(email: "ana.luisa@ejemplo.mx", firstName: "Ana\u{0}Luisa", lastName: "Ruiz\u{1B}[31m",
                                                   note: "Entregar en recepción\nTimbre 2\u{7}")
        let id = try #require(created["id"]?.int)

        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        let writes = w.shopify.requestCounts.filter { !$0.key.hasPrefix("GET") }
        _ = try await w.driver.pass()

        let contact = try #require(try w.ledger.contact(email: "ana.luisa@ejemplo.mx"))
        #expect(contact.firstName == "AnaLuisa", "the NUL is removed, not a truncation at it")
        #expect(contact.lastName == "Ruiz[31m", "the escape character is removed")
        #expect(contact.note == "Entregar en recepción\nTimbre 2", "a note keeps its line break")
        let inWoo = try #require(w.woo.customers().first { $0["email"]?.string == "ana.luisa@ejemplo.mx" })
        #expect(inWoo["first_name"]?.string == "AnaLuisa" && inWoo["last_name"]?.string == "Ruiz[31m")
        #expect(w.shopify.requestCount(method: .put, path: "\(w.shopify.apiPath)/customers/\(id).json") == 0,
                "the cleaned value is not written back to the store it came from")
        #expect(w.shopify.requestCounts.filter { !$0.key.hasPrefix("GET") } == writes, "the second pass writes nothing")
    }

    @Test("a Shopify product without variants is held with the reason, not skipped without a word")
    func productWithoutVariantsIsHeld() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 1, withWoo: false)
        let shop = w.shopify
        // The store lists one more product, with `variants` empty, and another with `variants: null`.
        let transport = ClosureTransport { request in
            guard var response = shop.handle(request).response else { return nil }
            if request.method == .get, request.path.hasSuffix("/products.json"), case .object(var doc)? = try? JSONValue.parse(response.body),
               case .array(var products)? = doc["products"] {
                products.append(["id": 9_001, "title": "Sin variantes", "status": "active", "variants": [],
                                 "updated_at": "2026-11-29T08:00:00-06:00", "created_at": "2026-11-29T08:00:00-06:00"])
                products.append(["id": 9_002, "title": "Variantes nulas", "status": "active", "variants": .null,
                                 "updated_at": "2026-11-29T08:00:00-06:00", "created_at": "2026-11-29T08:00:00-06:00"])
                doc["products"] = .array(products)
                response.body = JSONValue.object(doc).jsonData
            }
            return response
        }
        let client = StoreClient(transport: transport, credentials: .shopify(.accessToken(shop.credentials.accessToken)), siteURL: "http://shop.test",
                                 clock: w.clock, random: SeededRandom(seed: 5), sleeper: NoSleep(), logger: Logger(label: "test"))
        let driver = SyncDriver(engine: w.engine, host: OordenLedgerHost(ledger: w.ledger),
                                endpoints: [StoreEndpoint(link: "shopify", kind: .shopify, transport: client)], clock: w.clock, logger: Logger(label: "test"))

        let summary = try await driver.pass()

        let held = try w.engine.heldRecords().filter { $0.kind == .product }
        #expect(Set(held.map(\.remoteID)) == ["9001", "9002"], "\(held.map(\.remoteID))")
        #expect(held.allSatisfy { $0.reason.code == .malformedRecord && $0.reason.message.contains("no SKU, price or stock to sync") },
                "\(held.map(\.reason.message))")
        let skus = Set(shop.products().flatMap { $0["variants"]?.array ?? [] }.compactMap { $0["sku"]?.string }.filter { !$0.isEmpty })
        let synced = Set(try w.ledger.products().map(\.sku))
        #expect(!skus.isEmpty && synced == skus, "the store's real product still synced")
        #expect(summary.heldRecords >= 2)
    }

    @Test("a WooCommerce variable product without variations is held with the reason")
    func variableProductWithoutVariationsIsHeld() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 0, withWoo: true)
        let id = try w.woo.createProduct(["name": "Playera sin tallas", "type": "variable", "status": "publish"])
        _ = try await w.driver.pass()
        let held = try w.engine.heldRecords().filter { $0.link == "woo" && $0.kind == .product }
        #expect(held.map(\.remoteID) == [String(id)])
        #expect(held.first?.reason.message.contains("variable product without variations") == true, "\(held.map(\.reason.message))")
    }

    @Test("the Shopify parser refuses a product without variants ([] or null) instead of reading it as nothing")
    func parsersRefuseProductsWithoutSellables() throws {
        for variants: JSONValue in [[], .null] {
            #expect(throws: RecordDecodingError.self) {
                try ShopifyAPI.productRecords(product: ["id": 1, "title": "Vacío", "variants": variants])
            }
        }
    }
}
