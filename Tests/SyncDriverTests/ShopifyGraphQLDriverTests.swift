import Connectors
import Foundation
import OordenLedger
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
        #expect(w.shopify.requestCounts.keys.allSatisfy { $0.hasSuffix("graphql.json") }, "nothing went through REST: \(w.shopify.requestCounts.keys.sorted())")
        await w.stop()
    }
}
