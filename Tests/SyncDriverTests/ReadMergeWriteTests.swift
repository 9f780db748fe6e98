import Connectors
import Foundation
import OordenLedger
import SyncCore
import SyncDriver
import SyncEngine
import Testing

/// The read before every store update (docs/sync-semantics.md, "Read-merge-write") against the
/// WooCommerce emulator's REST API.
@Suite("Read-merge-write")
struct ReadMergeWriteTests {
    @Test("an Oorden edit of a product the merchant has just trashed applies the deletion instead of writing to it")
    func trashedProductIsADeletion() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 0, wooProducts: 2)
        _ = try await w.driver.pass()
        let simple = try #require(w.firstSimpleWooProduct())
        let id = try #require(simple["id"]?.int)
        let sku = try #require(simple["sku"]?.string)
        let product = try #require(try w.ledger.product(sku: sku))

        // The merchant trashes it; its webhook is not processed (there is no daemon here). Then an
        // Oorden user changes the price, and the engine pushes that.
        w.clock.advance(by: 5_000)
        try w.woo.trashProduct(id)
        w.clock.advance(by: 5_000)
        _ = try w.ledger.updateProduct(product.id) { $0.price = try ExactDecimal("99.50") }
        let summary = try await w.driver.pushPending()

        let counts = try #require(summary.stores["woo"])
        #expect(counts.deleted == 1 && counts.superseded == 1, "the read found it in the trash: \(counts)")
        #expect(w.woo.products().first { $0["id"]?.int == id }?["status"]?.string == "trash", "nothing was written to the trashed product")
        #expect(try w.engine.heldRecords().isEmpty)
        #expect(try w.ledger.product(sku: sku)?.active == false, "the deletion archived the product in Oorden, as a complete scan would")
    }

    @Test("a product deleted in Shopify, then edited and restocked in Oorden: the deletion is applied, nothing is held")
    func deletedProductWithStockChange() async throws {
        let w = try World(shopifyCustomers: 0, shopifyProducts: 2, withWoo: false)
        _ = try await w.driver.pass()
        let product = try #require(w.shopify.products().first)
        let id = try #require(product["id"]?.int)
        let sku = try #require(product["variants"]?.array?.first?["sku"]?.string)
        let oorden = try #require(try w.ledger.product(sku: sku))

        // The merchant deletes it (no webhook here); Oorden renames it and buys 4 more.
        w.clock.advance(by: 5_000)
        try w.shopify.deleteProduct(id: id)
        w.clock.advance(by: 5_000)
        _ = try w.ledger.updateProduct(oorden.id) { $0.name = "Renombrado" }
        _ = try w.ledger.recordMovement(productID: oorden.id, quantity: 4, kind: .purchase)
        let summary = try await w.driver.pushPending()   // no scan first: the writes find it gone

        #expect(summary.stores["shopify"]?.deleted == 1 && summary.stores["shopify"]?.pushFailures == 0, "\(String(describing: summary.stores["shopify"]))")
        #expect(try w.engine.heldRecords().isEmpty, "a write that finds the record gone applies the deletion; it is not a refusal to hold")
        #expect(try w.ledger.product(sku: sku)?.active == false)
    }
}
