import Foundation
import StoreEmulators
import SyncCore
import Testing

@Suite struct WooCommerceProductTests {
    /// The keys of products--retrieve-a-product.json and product-variations--retrieve-a-product-variation.json.
    static let productFixtureKeys: Set<String> = [
        "_links", "attributes", "average_rating", "backordered", "backorders", "backorders_allowed", "button_text", "catalog_visibility", "categories",
        "cross_sell_ids", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "date_on_sale_from", "date_on_sale_from_gmt",
        "date_on_sale_to", "date_on_sale_to_gmt", "default_attributes", "description", "dimensions", "download_expiry", "download_limit",
        "downloadable", "downloads", "external_url", "featured", "grouped_products", "id", "images", "manage_stock", "menu_order", "meta_data",
        "name", "on_sale", "parent_id", "permalink", "price", "price_html", "purchasable", "purchase_note", "rating_count", "regular_price",
        "related_ids", "reviews_allowed", "sale_price", "shipping_class", "shipping_class_id", "shipping_required", "shipping_taxable",
        "short_description", "sku", "slug", "sold_individually", "status", "stock_quantity", "stock_status", "tags", "tax_class", "tax_status",
        "total_sales", "type", "upsell_ids", "variations", "virtual", "weight",
    ]
    static let variationFixtureKeys: Set<String> = [
        "_links", "attributes", "backordered", "backorders", "backorders_allowed", "date_created", "date_created_gmt", "date_modified",
        "date_modified_gmt", "date_on_sale_from", "date_on_sale_from_gmt", "date_on_sale_to", "date_on_sale_to_gmt", "description", "dimensions",
        "download_expiry", "download_limit", "downloadable", "downloads", "id", "image", "manage_stock", "menu_order", "meta_data", "on_sale",
        "permalink", "price", "purchasable", "regular_price", "sale_price", "shipping_class", "shipping_class_id", "sku", "status",
        "stock_quantity", "stock_status", "tax_class", "tax_status", "virtual", "weight",
    ]

    @Test func simpleProductCRUD() throws {
        let site = WooTestSite()
        let created = site.call(.post, "products", json: [
            "name": "Café de Chiapas", "type": "simple", "sku": "CAF-1", "regular_price": "189.00", "sale_price": "170.10",
            "manage_stock": true, "stock_quantity": 12, "tax_status": "taxable",
        ], expect: 201)
        #expect(keysOf(created) == Self.productFixtureKeys)
        #expect(created["price"]?.string == "170.10")
        #expect(created["regular_price"]?.string == "189.00")
        #expect(created["on_sale"]?.bool == true)
        #expect(created["stock_quantity"]?.int == 12)
        #expect(created["stock_status"]?.string == "instock")
        #expect(created["slug"]?.string == "cafe-de-chiapas")
        let id = try #require(created["id"]?.int)
        let updated = site.call(.put, "products/\(id)", json: ["sale_price": "", "stock_quantity": 0, "status": "draft"])
        #expect(updated["price"]?.string == "189.00")
        #expect(updated["stock_status"]?.string == "outofstock")
        #expect(updated["status"]?.string == "draft")
        let wrongType = site.call(.put, "products/\(id)", json: ["regular_price": .number("12.5")], expect: 400)
        #expect(wrongType["message"]?.string == "Invalid parameter(s): regular_price")
        let trashed = site.call(.delete, "products/\(id)")
        #expect(trashed["status"]?.string == "trash")
        #expect(site.call(.get, "products").array?.isEmpty == true)
        _ = site.call(.delete, "products/\(id)", query: [QueryItem("force", "true")])
        #expect(site.call(.get, "products/\(id)", expect: 404)["code"]?.string == "woocommerce_rest_product_invalid_id")
    }

    @Test func variableProductWithVariations() throws {
        let site = WooTestSite()
        let parent = site.call(.post, "products", json: [
            "name": "Playera bordada", "type": "variable", "sku": "PLA",
            "attributes": [["name": "Talla", "options": ["CH", "M"], "variation": true]],
        ], expect: 201)
        let pid = try #require(parent["id"]?.int)
        let small = site.call(.post, "products/\(pid)/variations", json: [
            "sku": "PLA-CH", "regular_price": "299.00", "manage_stock": true, "stock_quantity": 3, "attributes": [["name": "Talla", "option": "CH"]],
        ], expect: 201)
        #expect(keysOf(small) == Self.variationFixtureKeys)
        #expect(small["attributes"]?[0]?["option"]?.string == "CH")
        let vid = try #require(small["id"]?.int)
        _ = site.call(.post, "products/\(pid)/variations", json: ["sku": "PLA-M", "regular_price": "279.00", "attributes": [["name": "Talla", "option": "M"]]], expect: 201)
        let reread = site.call(.get, "products/\(pid)")
        #expect(reread["variations"]?.array?.count == 2)
        #expect(reread["price"]?.string == "279.00")
        #expect(site.call(.get, "products/\(pid)/variations").array?.count == 2)
        let edited = site.call(.put, "products/\(pid)/variations/\(vid)", json: ["stock_quantity": 7])
        #expect(edited["stock_quantity"]?.int == 7)
        #expect(site.woo.stock(productID: pid, variationID: vid) == 7)
        #expect(site.call(.get, "products/\(pid)/variations/999", expect: 404)["code"]?.string == "woocommerce_rest_product_variation_invalid_id")
        #expect(site.call(.delete, "products/\(pid)/variations/\(vid)", expect: 501)["code"]?.string == "woocommerce_rest_trash_not_supported")
        _ = site.call(.delete, "products/\(pid)/variations/\(vid)", query: [QueryItem("force", "true")])
        #expect(site.woo.variations(productID: pid).count == 1)
    }

    @Test func duplicateSKUIsRefusedAcrossProductsAndVariations() throws {
        let site = WooTestSite()
        _ = site.call(.post, "products", json: ["name": "A", "sku": "SKU-1", "regular_price": "1.00"], expect: 201)
        let dup = site.call(.post, "products", json: ["name": "B", "sku": "SKU-1"], expect: 400)
        #expect(dup["code"]?.string == "product_invalid_sku")
        #expect(dup["message"]?.string == "Invalid or duplicated SKU.")
        let parent = site.call(.post, "products", json: ["name": "V", "type": "variable"], expect: 201)
        let pid = try #require(parent["id"]?.int)
        #expect(site.call(.post, "products/\(pid)/variations", json: ["sku": "SKU-1"], expect: 400)["code"]?.string == "product_invalid_sku")
        #expect(site.woo.products().count == 2)
    }

    @Test func filtersBySKUTypeAndStatus() throws {
        let site = WooTestSite()
        _ = site.call(.post, "products", json: ["name": "A", "sku": "A-1", "regular_price": "1.00"], expect: 201)
        _ = site.call(.post, "products", json: ["name": "B", "sku": "B-1", "status": "draft"], expect: 201)
        _ = site.call(.post, "products", json: ["name": "C", "type": "variable", "sku": "C-1"], expect: 201)
        #expect(site.call(.get, "products", query: [QueryItem("sku", "B-1")]).array?.map { $0["name"]?.string } == ["B"])
        #expect(site.call(.get, "products", query: [QueryItem("type", "variable")]).array?.map { $0["name"]?.string } == ["C"])
        #expect(site.call(.get, "products", query: [QueryItem("status", "draft")]).array?.map { $0["name"]?.string } == ["B"])
        #expect(site.call(.get, "products", query: [QueryItem("type", "bogus")], expect: 400)["message"]?.string == "Invalid parameter(s): type")
    }

    @Test func modifiedAfterWithGMTDatesOrderedByModified() throws {
        let site = WooTestSite()
        let a = try site.woo.createSimpleProduct(name: "A", sku: "A", regularPrice: "10.00", stock: 5)
        site.clock.advance(by: 10_000)
        let b = try site.woo.createSimpleProduct(name: "B", sku: "B", regularPrice: "10.00", stock: 5)
        site.clock.advance(by: 10_000)
        let cursor = ISO8601Time.formatGMTNoZone(site.clock.nowMilliseconds())
        site.clock.advance(by: 5_000)
        try site.woo.editProduct(a, ["name": "A2"])
        let rows = site.call(.get, "products", query: [
            QueryItem("modified_after", cursor), QueryItem("dates_are_gmt", "true"), QueryItem("orderby", "modified"), QueryItem("order", "asc"),
        ])
        #expect(rows.array?.compactMap { $0["id"]?.int } == [a])
        site.clock.advance(by: 5_000)
        try site.woo.setStock(productID: b, quantity: 2)
        let both = site.call(.get, "products", query: [
            QueryItem("modified_after", cursor), QueryItem("dates_are_gmt", "true"), QueryItem("orderby", "modified"), QueryItem("order", "asc"),
        ])
        #expect(both.array?.compactMap { $0["id"]?.int } == [a, b])
        // Without dates_are_gmt the same wall time is read as site time (UTC-6), six hours later.
        let local = site.call(.get, "products", query: [QueryItem("modified_after", cursor)])
        #expect(local.array?.isEmpty == true)
        let before = site.call(.get, "products", query: [QueryItem("modified_before", cursor), QueryItem("dates_are_gmt", "true")])
        #expect(before.array?.isEmpty == true)
        #expect(site.call(.get, "products", query: [QueryItem("modified_after", "yesterday")], expect: 400)["code"]?.string == "rest_invalid_param")
    }

    @Test func productBatch() throws {
        let site = WooTestSite()
        let keep = try site.woo.createSimpleProduct(name: "Keep", sku: "K", regularPrice: "5.00", stock: nil)
        let result = site.call(.post, "products/batch", json: [
            "create": [["name": "N1", "sku": "N1"], ["name": "Dup", "sku": "K"]],
            "update": [["id": .integer(keep), "regular_price": "6.00"], ["id": 99_999, "name": "x"]],
        ])
        #expect(result["create"]?[0]?["sku"]?.string == "N1")
        #expect(result["create"]?[1]?["error"]?["code"]?.string == "product_invalid_sku")
        #expect(result["update"]?[0]?["regular_price"]?.string == "6.00")
        #expect(result["update"]?[1]?["error"]?["code"]?.string == "woocommerce_rest_product_invalid_id")
        #expect(result["delete"] == nil)
        #expect(site.woo.products().count == 2)
    }
}
