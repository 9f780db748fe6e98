import Foundation
import SyncCore

extension ShopifyAPI {
    /// `GET products.json?limit=&updated_at_min=&fields=`.
    public func products(limit: Int = ShopifyAPI.maxPageSize, updatedAtMin: Int64? = nil, fields: [String]? = nil) -> StoreRequest {
        get("products", listQuery(limit: limit, filters: ShopifyAPI.timeFilter("updated_at_min", updatedAtMin), fields: fields))
    }

    /// The following page of a product list.
    public func productsPage(pageInfo: String, limit: Int = ShopifyAPI.maxPageSize, fields: [String]? = nil) -> StoreRequest {
        get("products", pageQuery(pageInfo: pageInfo, limit: limit, fields: fields))
    }

    /// `GET products/count.json[?updated_at_min=]`.
    public func productsCount(updatedAtMin: Int64? = nil) -> StoreRequest {
        get("products/count", ShopifyAPI.timeFilter("updated_at_min", updatedAtMin))
    }

    /// `GET products/{id}.json`.
    public func product(id: String) -> StoreRequest { get("products/\(id)") }

    /// `GET products/{id}/metafields.json?namespace=oorden`.
    public func productMetafields(productID: String) -> StoreRequest {
        get("products/\(productID)/metafields", [QueryItem("namespace", ShopifyAPI.markerNamespace)])
    }

    /// `POST products.json`: one product titled `productTitle` with one variant per record (each
    /// record's SKU, price, compare-at price, barcode, taxable, stock tracking, variant title as
    /// `option1`), status from the first record's `active`, and our marker metafield.
    ///
    /// A single record without variant title becomes Shopify's "Default Title" variant.
    public func createProduct(title productTitle: String, variants: [ProductRecord], marker: EntityID? = nil) -> StoreRequest {
        var p: [String: JSONValue] = [
            "title": .string(productTitle),
            "status": .string((variants.first?.active ?? true) ? "active" : "draft"),
            "variants": .array(variants.map { v in
                var o = variantFields(v, fields: Set(ProductRecord.fieldKeys), includeNulls: false)
                if let t = v.variantTitle { o["option1"] = .string(t) }
                if v.manageStock { o["inventory_management"] = "shopify" }
                return .object(o)
            }),
        ]
        if variants.contains(where: { $0.variantTitle != nil }) {
            p["options"] = [["name": "Title"]]
        }
        if let marker { p["metafields"] = [ShopifyAPI.markerMetafield(marker)] }
        return send(.post, "products", ["product": .object(p)])
    }

    /// A one-variant product for one record (`title` = the record's name).
    public func createProduct(_ record: ProductRecord, marker: EntityID? = nil) -> StoreRequest {
        var r = record
        r.variantTitle = nil
        return createProduct(title: record.name, variants: [r], marker: marker)
    }

    /// The requests that push the given canonical `fields` of `record`: `PUT variants/{id}.json` for
    /// variant fields (sku, price, compare_at_price, barcode, taxable) and `PUT products/{id}.json`
    /// for `name` (the product title) and `active` (status active/archived). Empty when nothing applies.
    public func updateProduct(_ record: ProductRecord, fields: Set<FieldKey>) -> [StoreRequest] {
        var out: [StoreRequest] = []
        var p: [String: JSONValue] = [:]
        if fields.contains(.name) { p["title"] = .string(record.productTitle) }
        if fields.contains(.active) { p["status"] = .string(record.active ? "active" : "archived") }
        if !p.isEmpty {
            p["id"] = RequestBody.id(record.remoteProductID)
            out.append(send(.put, "products/\(record.remoteProductID)", ["product": .object(p)]))
        }
        let v = variantFields(record, fields: fields, includeNulls: true)
        if !v.isEmpty, let variantID = record.remoteVariantID {
            var o = v
            o["id"] = RequestBody.id(variantID)
            out.append(send(.put, "variants/\(variantID)", ["variant": .object(o)]))
        }
        return out
    }

    /// `PUT variants/{id}.json {"variant": {"id", ...fields}}` with raw Shopify variant fields.
    public func updateVariant(id: String, fields: [String: JSONValue]) -> StoreRequest {
        var o = fields
        o["id"] = RequestBody.id(id)
        return send(.put, "variants/\(id)", ["variant": .object(o)])
    }

    /// `PUT products/{id}.json {"product": {"id", "status": "archived"}}` — how we "delete" a product.
    public func archiveProduct(id: String) -> StoreRequest {
        send(.put, "products/\(id)", ["product": ["id": RequestBody.id(id), "status": "archived"]])
    }

    /// `GET variants/{id}.json`.
    public func variant(id: String) -> StoreRequest { get("variants/\(id)") }

    // MARK: Inventory

    /// `GET inventory_levels.json?inventory_item_ids=1,2&location_ids=3`.
    public func inventoryLevels(inventoryItemIDs: [String], locationIDs: [String] = [], limit: Int = ShopifyAPI.maxPageSize) -> StoreRequest {
        var q: [QueryItem] = [QueryItem("limit", String(min(max(limit, 1), ShopifyAPI.maxPageSize)))]
        if !inventoryItemIDs.isEmpty { q.append(QueryItem("inventory_item_ids", inventoryItemIDs.joined(separator: ","))) }
        if !locationIDs.isEmpty { q.append(QueryItem("location_ids", locationIDs.joined(separator: ","))) }
        return get("inventory_levels", q)
    }

    /// `POST inventory_levels/adjust.json {location_id, inventory_item_id, available_adjustment}` — a
    /// relative change, so a sale racing the push is not overwritten.
    public func adjustInventory(inventoryItemID: String, locationID: String, delta: Int) -> StoreRequest {
        send(.post, "inventory_levels/adjust", [
            "location_id": RequestBody.id(locationID), "inventory_item_id": RequestBody.id(inventoryItemID),
            "available_adjustment": .integer(delta),
        ])
    }

    /// `POST inventory_levels/set.json {location_id, inventory_item_id, available}` — absolute; only
    /// for the initial level of a product we created.
    public func setInventory(inventoryItemID: String, locationID: String, available: Int) -> StoreRequest {
        send(.post, "inventory_levels/set", [
            "location_id": RequestBody.id(locationID), "inventory_item_id": RequestBody.id(inventoryItemID),
            "available": .integer(available),
        ])
    }

    func variantFields(_ r: ProductRecord, fields: Set<FieldKey>, includeNulls: Bool) -> [String: JSONValue] {
        var o: [String: JSONValue] = [:]
        func put(_ key: String, _ value: JSONValue) {
            if !value.isNull || includeNulls { o[key] = value }
        }
        if fields.contains(.sku) { put("sku", RequestBody.text(r.sku)) }
        if fields.contains(.price) { put("price", RequestBody.money(r.price)) }
        if fields.contains(.compareAtPrice) { put("compare_at_price", RequestBody.money(r.compareAtPrice)) }
        if fields.contains(.barcode) { put("barcode", RequestBody.text(r.barcode)) }
        if fields.contains(.taxable) { o["taxable"] = .bool(r.taxable) }
        return o
    }
}
