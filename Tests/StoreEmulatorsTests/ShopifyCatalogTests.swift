import Foundation
import StoreEmulators
import SyncCore
import Testing

@Suite struct ShopifyCatalogTests {
    @Test func productCrudWithVariants() throws {
        let h = ShopifyHarness()
        let created = h.send(.post, "products.json", body: ["product": [
            "title": "Mezcal Espadín", "vendor": "Destilería Oaxaqueña", "status": "draft",
            "variants": [["option1": "375 ml", "sku": "MEZ-375", "price": "349.50", "inventory_quantity": 12],
                         ["option1": "750 ml", "sku": "MEZ-750", "price": 599, "barcode": "7501234567890"]],
        ]])
        #expect(created.status == 201)
        let product = try #require(created.json["product"])
        #expect(ShopifyFixtureKeys.product.isSubset(of: h.keys(product)))
        #expect(product["handle"] == "mezcal-espadin")
        #expect(product["status"] == "draft")
        let variants = try #require(product["variants"]?.array)
        #expect(variants.count == 2)
        #expect(ShopifyFixtureKeys.variant.isSubset(of: h.keys(variants[0])))
        #expect(variants[0]["price"] == "349.50")
        #expect(variants[1]["price"] == "599.00")
        #expect(variants[0]["inventory_quantity"] == 12)
        #expect(variants[0]["inventory_management"] == "shopify")
        #expect(variants[0]["inventory_item_id"] != variants[1]["inventory_item_id"])
        let id = try #require(product["id"]?.int)

        h.clock.advance(by: 2_000)
        let updated = h.send(.put, "products/\(id).json", body: ["product": ["title": "Mezcal Espadín Joven", "status": "active"]])
        #expect(updated.json["product"]?["title"] == "Mezcal Espadín Joven")
        #expect(updated.json["product"]?["updated_at"] == "2026-11-29T10:20:07-06:00")
        #expect(updated.json["product"]?["published_at"] != .null)
        #expect(h.send(.get, "products/count.json").json == ["count": 1])
        #expect(h.send(.get, "products.json", query: [QueryItem("status", "archived")]).json["products"] == [])
        #expect(h.send(.get, "products.json", query: [QueryItem("ids", "\(id)")]).json["products"]?.array?.count == 1)
        #expect(h.send(.delete, "products/\(id).json").status == 200)
        #expect(h.send(.get, "products/\(id).json").status == 404)
    }

    @Test func variantEndpoints() throws {
        let h = ShopifyHarness()
        let product = try h.createProduct(variants: [("250 g", "CAF-250", "120.00", 5)])
        let pid = try #require(product["id"]?.int)
        let vid = try #require(product["variants"]?[0]?["id"]?.int)
        #expect(h.send(.get, "products/\(pid)/variants.json").json["variants"]?.array?.count == 1)
        let added = h.send(.post, "products/\(pid)/variants.json", body: ["variant": ["option1": "1 kg", "sku": "CAF-1000", "price": "399.00"]])
        #expect(added.status == 201)
        #expect(added.json["variant"]?["product_id"]?.int == pid)
        #expect(h.send(.get, "products/\(pid)/variants.json").json["variants"]?.array?.count == 2)
        let put = h.send(.put, "variants/\(vid).json", body: ["variant": ["price": "125.90", "barcode": "7500000000001"]])
        #expect(put.status == 200)
        #expect(put.json["variant"]?["price"] == "125.90")
        #expect(h.send(.get, "variants/\(vid).json").json["variant"]?["barcode"] == "7500000000001")
        #expect(h.send(.get, "products/\(pid)/variants/\(vid).json").status == 200)
        let readOnly = h.send(.put, "variants/\(vid).json", body: ["variant": ["inventory_quantity": 99]])
        #expect(readOnly.status == 422)
        #expect(readOnly.json["errors"]?["inventory_quantity"] != nil)
        #expect(h.send(.put, "variants/\(vid).json", body: ["variant": ["inventory_quantity": 5, "sku": "CAF-250B"]]).status == 200)
        #expect(h.send(.put, "variants/\(vid).json", body: ["variant": ["price": "doce"]]).json == ["errors": ["price": ["is not a number"]]])
        #expect(h.send(.get, "variants/1.json").status == 404)
    }

    @Test func productMetafields() throws {
        let h = ShopifyHarness()
        let pid = try #require(try h.createProduct(variants: [("Default Title", "SKU-1", "10.00", 0)])["id"]?.int)
        let r = h.send(.post, "products/\(pid)/metafields.json", body: ["metafield": ["namespace": "oorden", "key": "product_id", "value": "p-9", "type": "single_line_text_field"]])
        #expect(r.status == 201)
        #expect(r.json["metafield"]?["owner_resource"] == "product")
        #expect(h.send(.get, "products/\(pid)/metafields.json").json["metafields"]?[0]?["value"] == "p-9")
    }

    @Test func inventorySetAndAdjustStampVariantAndProduct() throws {
        let h = ShopifyHarness()
        let product = try h.createProduct(variants: [("Chico", "TAL-1", "250.00", 10), ("Grande", "TAL-2", "450.00", 3)])
        let item = try #require(product["variants"]?[0]?["inventory_item_id"]?.int)
        let pid = try #require(product["id"]?.int)
        let location = h.shop.configuration.primaryLocationID
        h.clock.advance(by: 30_000)
        let set = h.send(.post, "inventory_levels/set.json", body: ["location_id": .integer(location), "inventory_item_id": .integer(item), "available": 25])
        #expect(set.status == 200)
        #expect(h.keys(set.json["inventory_level"]).isSuperset(of: ShopifyFixtureKeys.inventoryLevel))
        #expect(set.json["inventory_level"]?["available"] == 25)
        let adjust = h.send(.post, "inventory_levels/adjust.json", body: ["location_id": .integer(location), "inventory_item_id": .integer(item), "available_adjustment": -4])
        #expect(adjust.json["inventory_level"]?["available"] == 21)
        #expect(h.shop.inventoryLevel(inventoryItemID: item) == 21)
        let p = h.send(.get, "products/\(pid).json").json["product"]
        #expect(p?["variants"]?[0]?["inventory_quantity"] == 21)
        #expect(p?["variants"]?[0]?["updated_at"] == "2026-11-29T10:20:35-06:00")
        #expect(p?["updated_at"] == "2026-11-29T10:20:35-06:00")
        let levels = h.send(.get, "inventory_levels.json", query: [QueryItem("inventory_item_ids", "\(item)")])
        #expect(levels.json["inventory_levels"]?.array?.count == 1)
        #expect(levels.json["inventory_levels"]?[0]?["location_id"]?.int == location)
        #expect(h.send(.post, "inventory_levels/set.json", body: ["location_id": 1, "inventory_item_id": .integer(item), "available": 1]).status == 404)
        #expect(h.send(.post, "inventory_levels/adjust.json", body: ["location_id": .integer(location), "inventory_item_id": .integer(item)]).status == 422)
    }
}
