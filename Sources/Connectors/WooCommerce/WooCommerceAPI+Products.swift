import Foundation
import SyncCore

extension WooCommerceAPI {
    /// `GET products?page=&per_page=&orderby=modified&order=asc[&modified_after=&dates_are_gmt=true]`.
    public func products(page: Int = 1, perPage: Int = WooCommerceAPI.maxPageSize, modifiedAfter: Int64? = nil) -> StoreRequest {
        get("products", WooCommerceAPI.paging(page, perPage) + [QueryItem("orderby", "modified"), QueryItem("order", "asc")]
            + WooCommerceAPI.modifiedAfter(modifiedAfter))
    }

    /// `GET products?sku=` — the natural-key search before a create.
    public func products(sku: String) -> StoreRequest {
        get("products", [QueryItem("sku", sku)])
    }

    /// `GET products/{id}`.
    public func product(id: String) -> StoreRequest { get("products/\(id)") }

    /// `GET products/{pid}/variations?page=&per_page=`.
    public func variations(productID: String, page: Int = 1, perPage: Int = WooCommerceAPI.maxPageSize) -> StoreRequest {
        get("products/\(productID)/variations", WooCommerceAPI.paging(page, perPage))
    }

    /// `GET products/{pid}/variations/{id}`.
    public func variation(productID: String, id: String) -> StoreRequest { get("products/\(productID)/variations/\(id)") }

    /// `POST products`: a simple product from one record (name, SKU, prices, tax status, status,
    /// stock tracking with the record's stock as initial quantity) with our marker in `meta_data`.
    public func createProduct(_ record: ProductRecord, marker: EntityID? = nil) -> StoreRequest {
        var o = productFields(record, fields: Set(ProductRecord.fieldKeys), includeEmpty: false, isVariation: false)
        o["type"] = "simple"
        o["manage_stock"] = .bool(record.manageStock)
        if record.manageStock, let q = record.stockQuantity { o["stock_quantity"] = .integer(q) }
        if let marker { o["meta_data"] = [WooCommerceAPI.markerMeta(marker)] }
        return send(.post, "products", .object(o))
    }

    /// The requests that push the given canonical `fields` of `record`: `PUT products/{id}` for a
    /// simple product, `PUT products/{pid}/variations/{id}` for a variation (whose `name` is the
    /// parent's, so a name change also updates the parent product's name).
    public func updateProduct(_ record: ProductRecord, fields: Set<FieldKey>) -> [StoreRequest] {
        var out: [StoreRequest] = []
        if let variationID = record.remoteVariantID {
            if fields.contains(.name) {
                out.append(send(.put, "products/\(record.remoteProductID)", ["name": .string(record.productTitle)]))
            }
            let o = productFields(record, fields: fields.subtracting([.name]), includeEmpty: true, isVariation: true)
            if !o.isEmpty { out.append(send(.put, "products/\(record.remoteProductID)/variations/\(variationID)", .object(o))) }
        } else {
            let o = productFields(record, fields: fields, includeEmpty: true, isVariation: false)
            if !o.isEmpty { out.append(send(.put, "products/\(record.remoteProductID)", .object(o))) }
        }
        return out
    }

    /// `PUT … {"status": "draft"}` — how we "delete" a product or variation.
    public func archiveProduct(_ record: ProductRecord) -> StoreRequest {
        send(.put, resourcePath(record), ["status": "draft"])
    }

    /// `PUT … {"manage_stock": true, "stock_quantity": n}`. WooCommerce has no relative stock
    /// adjustment over REST: read the current level right before and set level + delta.
    public func setStock(_ record: ProductRecord, quantity: Int) -> StoreRequest {
        send(.put, resourcePath(record), ["manage_stock": true, "stock_quantity": .integer(quantity)])
    }

    func resourcePath(_ record: ProductRecord) -> String {
        if let v = record.remoteVariantID { return "products/\(record.remoteProductID)/variations/\(v)" }
        return "products/\(record.remoteProductID)"
    }

    /// Canonical → WooCommerce: `price`/`compare_at_price` become `regular_price` + `sale_price`
    /// (a compare-at price is the regular price of an item on sale); `taxable` → `tax_status`;
    /// `active` → `status` publish/draft; `barcode` → `global_unique_id`.
    func productFields(_ r: ProductRecord, fields: Set<FieldKey>, includeEmpty: Bool, isVariation: Bool) -> [String: JSONValue] {
        var o: [String: JSONValue] = [:]
        if fields.contains(.name) && !isVariation { o["name"] = .string(r.name) }
        if fields.contains(.sku) { if let s = r.sku { o["sku"] = .string(s) } else if includeEmpty { o["sku"] = "" } }
        if fields.contains(.price) || fields.contains(.compareAtPrice) {
            let money: (ExactDecimal?) -> JSONValue = { d in d.map { .string($0.formatted(scale: max(2, $0.scale))) } ?? "" }
            if let compare = r.compareAtPrice {
                o["regular_price"] = money(compare)
                o["sale_price"] = money(r.price)
            } else {
                o["regular_price"] = money(r.price)
                if includeEmpty { o["sale_price"] = "" }
            }
        }
        if fields.contains(.taxable) { o["tax_status"] = .string(r.taxable ? "taxable" : "none") }
        if fields.contains(.active) { o["status"] = .string(r.active ? "publish" : "draft") }
        if fields.contains(.barcode) { if let b = r.barcode { o["global_unique_id"] = .string(b) } else if includeEmpty { o["global_unique_id"] = "" } }
        return o
    }
}
