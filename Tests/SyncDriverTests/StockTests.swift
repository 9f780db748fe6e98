import Connectors
import Foundation
import OordenLedger
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine
import Testing

@Suite("Stock is a counter: exact on every side")
struct StockTests {
    /// The first variant of the first Shopify product: ids and its SKU.
    func firstVariant(_ w: World) throws -> (variant: Int, item: Int, sku: String) {
        let v = try #require(w.shopify.products().first?["variants"]?[0])
        return (try #require(v["id"]?.int), try #require(v["inventory_item_id"]?.int), try #require(v["sku"]?.string))
    }

    @Test("a store sale and an Oorden purchase at the same moment: 10 − 1 + 5 = 14 everywhere")
    func saleAndPurchase() async throws {
        let w = try World(shopifyCustomers: 1, shopifyProducts: 1, withWoo: false)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        let v = try firstVariant(w)
        _ = try w.shopify.setStock(inventoryItemID: v.item, available: 10)
        _ = try await w.driver.pass()
        let product = try #require(try w.ledger.product(sku: v.sku))
        #expect(try w.ledger.stockOnHand(productID: product.id) == 10)

        w.clock.advance(by: 60_000)
        _ = try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: v.variant, quantity: 1)], email: "compra@ejemplo.mx",
                                     shippingAddress: ["first_name": "Ana", "last_name": "Paz"])
        _ = try w.ledger.recordMovement(productID: product.id, quantity: 5, kind: .purchase)
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()

        #expect(w.shopify.inventoryLevel(inventoryItemID: v.item) == 14)
        let movements = try w.ledger.movements(productID: product.id).map { "\($0.kind.rawValue) \($0.quantity) \($0.origin)" }
        #expect(try w.ledger.stockOnHand(productID: product.id) == 14, "movements: \(movements)")
        let entity = try #require(try w.engine.entity(kind: .product, naturalKey: v.sku))
        #expect(try w.engine.stock(of: entity) == 14)
    }

    @Test("two stores sell the last units of one SKU at once: every side ends with the exact count")
    func twoStoresRace() async throws {
        let w = try World(shopifyCustomers: 1, shopifyProducts: 1, wooCustomers: 1, wooProducts: 0)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        let v = try firstVariant(w)
        _ = try w.shopify.setStock(inventoryItemID: v.item, available: 3)
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()
        // The SKU now exists in WooCommerce too, with the same 3 units.
        let wooProduct = try #require(w.woo.products().first { $0["sku"]?.string == v.sku })
        let wooID = try #require(wooProduct["id"]?.int)
        #expect(w.woo.stock(productID: wooID) == 3)

        // Both stores sell at the same moment: Shopify 2 units, WooCommerce 2 units.
        w.clock.advance(by: 60_000)
        _ = try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: v.variant, quantity: 2)], email: "uno@ejemplo.mx",
                                     shippingAddress: ["first_name": "Uno", "last_name": "Pérez"])
        try w.woo.setStock(productID: wooID, quantity: 1)   // a WooCommerce sale of 2, as the site records it
        _ = try await w.driver.pass()
        w.clock.advance(by: 60_000)
        _ = try await w.driver.pass()

        let product = try #require(try w.ledger.product(sku: v.sku))
        #expect(w.shopify.inventoryLevel(inventoryItemID: v.item) == -1)
        #expect(w.woo.stock(productID: wooID) == -1)
        #expect(try w.ledger.stockOnHand(productID: product.id) == -1)
        w.clock.advance(by: 60_000)
        #expect(try await w.driver.pass().totalPushes == 0)
    }
}
