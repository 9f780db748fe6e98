import Connectors
import Foundation
import OordenLedger
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine
import Testing

@Suite("Recreated records")
struct RecreatedRecordTests {
    @Test("a product deleted in a store and recreated there with the same SKU links again instead of staying held")
    func deleteAndRecreate() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 0, withWoo: false)
        _ = try w.ledger.createProduct(ProductDraft(sku: "SIM-1", name: "Prod", price: try ExactDecimal("925.32")))
        _ = try await w.driver.pass()
        let first = try #require(w.shopify.products().first?["id"]?.int)
        w.clock.advance(by: 60_000)
        try w.shopify.deleteProduct(id: first)
        _ = try w.shopify.createProduct(title: "Prod", variants: [ShopifyVariantInput(sku: "SIM-1", price: try ExactDecimal("657.90"))])
        w.clock.advance(by: 1_000)
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()
        let held = try w.engine.heldRecords()
        #expect(held.isEmpty, "\(held.map { "\($0.remoteID) \($0.reason.code)" })")
        #expect(w.shopify.products().count == 1)
        #expect(try w.ledger.products().count == 1)
    }
}
