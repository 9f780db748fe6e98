import Foundation
import SyncCore

extension WooCommerceSite {
    static let productStatuses = ["draft", "pending", "private", "publish"]
    static let productTypes = ["simple", "grouped", "external", "variable"]

    func productJSON(_ p: WooProductRecord) -> JSONValue {
        let variations = p.variationIDs.compactMap { products[$0] }
        let price: String
        if p.type == "variable" {
            price = variations.compactMap { ExactDecimal.parse($0.price) }.min()?.formatted(scale: 2) ?? ""
        } else {
            price = p.price
        }
        let stockStatus = p.type == "variable" && !p.manageStock
            ? (variations.contains { $0.stockStatus == "instock" } ? "instock" : (variations.isEmpty ? "instock" : "outofstock"))
            : p.stockStatus
        var o: [String: JSONValue] = [
            "id": .integer(p.id), "name": .string(p.name), "slug": .string(p.slug),
            "permalink": .string(config.siteURL + "/product/" + p.slug + "/"),
            "type": .string(p.type), "status": .string(p.status), "featured": false, "catalog_visibility": "visible",
            "description": .string(p.description), "short_description": .string(p.shortDescription), "sku": .string(p.sku),
            "price": .string(price), "regular_price": .string(p.type == "variable" ? "" : p.regularPrice),
            "sale_price": .string(p.type == "variable" ? "" : p.salePrice),
            "price_html": .string(price.isEmpty ? "" : "<span class=\"woocommerce-Price-amount amount\"><span class=\"woocommerce-Price-currencySymbol\">\(Self.currencySymbol(config.currency))</span>\(price)</span>"),
            "on_sale": .bool(!p.salePrice.isEmpty), "purchasable": .bool(!price.isEmpty), "total_sales": .integer(p.totalSales),
            "virtual": false, "downloadable": false, "downloads": [], "download_limit": -1, "download_expiry": -1,
            "external_url": "", "button_text": "", "tax_status": .string(p.taxStatus), "tax_class": .string(p.taxClass),
            "manage_stock": .bool(p.manageStock), "stock_quantity": p.manageStock ? p.stockQuantity.map { .integer($0) } ?? .null : .null,
            "stock_status": .string(stockStatus), "backorders": "no", "backorders_allowed": false, "backordered": false,
            "sold_individually": false, "weight": "", "dimensions": ["length": "", "width": "", "height": ""],
            "shipping_required": true, "shipping_taxable": true, "shipping_class": "", "shipping_class_id": 0,
            "reviews_allowed": true, "average_rating": "0.00", "rating_count": 0, "related_ids": [], "upsell_ids": [],
            "cross_sell_ids": [], "parent_id": 0, "purchase_note": "", "categories": [], "tags": [], "images": [],
            "attributes": .array(p.attributes.enumerated().map { i, a in
                ["id": 0, "name": .string(a.name), "position": .integer(i), "visible": true, "variation": .bool(p.type == "variable"),
                 "options": .array(a.options.map { .string($0) })]
            }),
            "default_attributes": [], "variations": .array(p.variationIDs.map { .integer($0) }), "grouped_products": [],
            "menu_order": 0, "meta_data": metaJSON(p.meta), "_links": link("products/\(p.id)"),
        ]
        for (k, v) in dates("date_created", p.created) + dates("date_modified", p.modified)
            + dates("date_on_sale_from", nil) + dates("date_on_sale_to", nil) {
            o[k] = v
        }
        return .object(o)
    }

    func variationJSON(_ v: WooProductRecord) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .integer(v.id), "description": .string(v.description),
            "permalink": .string(config.siteURL + "/product/" + (products[v.parentID]?.slug ?? "") + "/"),
            "sku": .string(v.sku), "price": .string(v.price), "regular_price": .string(v.regularPrice), "sale_price": .string(v.salePrice),
            "on_sale": .bool(!v.salePrice.isEmpty), "status": .string(v.status), "purchasable": .bool(!v.price.isEmpty),
            "virtual": false, "downloadable": false, "downloads": [], "download_limit": -1, "download_expiry": -1,
            "tax_status": .string(v.taxStatus), "tax_class": .string(v.taxClass), "manage_stock": .bool(v.manageStock),
            "stock_quantity": v.manageStock ? v.stockQuantity.map { .integer($0) } ?? .null : .null,
            "stock_status": .string(v.stockStatus), "backorders": "no", "backorders_allowed": false, "backordered": false,
            "weight": "", "dimensions": ["length": "", "width": "", "height": ""], "shipping_class": "", "shipping_class_id": 0,
            "image": .null,
            "attributes": .array(v.attributes.map { ["id": 0, "name": .string($0.name), "option": .string($0.options.first ?? "")] }),
            "menu_order": 0, "meta_data": metaJSON(v.meta),
            "_links": ["self": [["href": .string(config.siteURL + "/wp-json/wc/v3/products/\(v.parentID)/variations/\(v.id)")]],
                       "collection": [["href": .string(config.siteURL + "/wp-json/wc/v3/products/\(v.parentID)/variations")]],
                       "up": [["href": .string(config.siteURL + "/wp-json/wc/v3/products/\(v.parentID)")]]],
        ]
        for (k, val) in dates("date_created", v.created) + dates("date_modified", v.modified)
            + dates("date_on_sale_from", nil) + dates("date_on_sale_to", nil) {
            o[k] = val
        }
        return .object(o)
    }

    func listProducts(_ query: WooQuery) throws -> [JSONValue] {
        let orderby = try query.oneOf("orderby", ["date", "id", "include", "title", "slug", "price", "popularity", "rating", "modified", "menu_order"], default: "date")
        let desc = try query.oneOf("order", ["asc", "desc"], default: "desc") == "desc"
        let gmt = try query.bool("dates_are_gmt") ?? false
        let offset = config.timezoneOffsetMinutes
        let modifiedAfter = try query.date("modified_after", gmt: gmt, offsetMinutes: offset)
        let modifiedBefore = try query.date("modified_before", gmt: gmt, offsetMinutes: offset)
        let after = try query.date("after", gmt: gmt, offsetMinutes: offset)
        let before = try query.date("before", gmt: gmt, offsetMinutes: offset)
        let status = try query.oneOf("status", ["any", "future", "trash"] + Self.productStatuses, default: "any")
        let type = try query.value("type").map { _ in try query.oneOf("type", Self.productTypes, default: "simple") }
        var rows = products.values.filter { !$0.isVariation }
        rows = rows.filter { status == "any" ? $0.status != "trash" : $0.status == status }
        if let type { rows = rows.filter { $0.type == type } }
        if let skus = query.list("sku") { rows = rows.filter { skus.contains($0.sku) } }
        if let include = query.list("include")?.compactMap(Int.init) { rows = rows.filter { include.contains($0.id) } }
        if let exclude = query.list("exclude")?.compactMap(Int.init) { rows = rows.filter { !exclude.contains($0.id) } }
        if let search = query.value("search"), !search.isEmpty { rows = rows.filter { $0.name.lowercased().contains(search.lowercased()) } }
        if let modifiedAfter { rows = rows.filter { $0.modified > modifiedAfter } }
        if let modifiedBefore { rows = rows.filter { $0.modified < modifiedBefore } }
        if let after { rows = rows.filter { $0.created > after } }
        if let before { rows = rows.filter { $0.created < before } }
        rows = sortProducts(rows, orderby: orderby, desc: desc)
        return rows.map(productJSON)
    }

    private func sortProducts(_ rows: [WooProductRecord], orderby: String, desc: Bool) -> [WooProductRecord] {
        func stamp(_ ms: Int64) -> String { String(format: "%015lld", ms) }
        switch orderby {
        case "id", "include": return ordered(rows, desc: desc, id: \.id) { _ in "" }
        case "modified": return ordered(rows, desc: desc, id: \.id) { stamp($0.modified) }
        case "title": return ordered(rows, desc: desc, id: \.id) { $0.name.lowercased() }
        case "slug": return ordered(rows, desc: desc, id: \.id) { $0.slug }
        case "price":
            return ordered(rows, desc: desc, id: \.id) { p in
                let d = ExactDecimal.parse(p.price) ?? .zero
                return d.formatted(scale: 4).leftPadded(to: 24)
            }
        case "popularity": return ordered(rows, desc: desc, id: \.id) { String(format: "%012d", $0.totalSales) }
        default: return ordered(rows, desc: desc, id: \.id) { stamp($0.created) }
        }
    }

    func listVariations(_ productID: Int, _ query: WooQuery) throws -> [JSONValue] {
        guard let parent = products[productID], !parent.isVariation else {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_product_invalid_id", message: "Invalid ID.", status: 404)
        }
        let gmt = try query.bool("dates_are_gmt") ?? false
        let modifiedAfter = try query.date("modified_after", gmt: gmt, offsetMinutes: config.timezoneOffsetMinutes)
        let desc = try query.oneOf("order", ["asc", "desc"], default: "desc") == "desc"
        let orderby = try query.oneOf("orderby", ["date", "id", "include", "title", "slug", "modified", "menu_order"], default: "date")
        var rows = parent.variationIDs.compactMap { products[$0] }
        if let skus = query.list("sku") { rows = rows.filter { skus.contains($0.sku) } }
        if let modifiedAfter { rows = rows.filter { $0.modified > modifiedAfter } }
        rows = sortProducts(rows, orderby: orderby, desc: desc)
        return rows.map(variationJSON)
    }

    /// SKUs must be unique across products and variations (`wc_product_has_unique_sku`).
    func checkSKU(_ sku: String, excluding id: Int?) throws {
        guard !sku.isEmpty else { return }
        if products.values.contains(where: { $0.id != id && $0.sku == sku && $0.status != "trash" }) {
            throw WooCommerceEmulatorError(code: "product_invalid_sku", message: "Invalid or duplicated SKU.", status: 400)
        }
    }

    func uniqueSlug(_ name: String, excluding id: Int?) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var base = ""
        for ch in folded {
            if ch.isLetter || ch.isNumber { base.append(ch) } else if !base.hasSuffix("-") { base.append("-") }
        }
        base = base.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        if base.isEmpty { base = "producto" }
        var candidate = base
        var n = 1
        while products.values.contains(where: { $0.id != id && !$0.isVariation && $0.slug == candidate }) {
            n += 1
            candidate = "\(base)-\(n)"
        }
        return candidate
    }

    /// Applies the price/stock/meta fields shared by products and variations.
    mutating func applyCommonProductFields(_ params: WooParams, to p: inout WooProductRecord) throws {
        if let sku = try params.string("sku") {
            try checkSKU(sku, excluding: p.id)
            p.sku = sku
        }
        if let v = try params.money("regular_price") { p.regularPrice = v }
        if let v = try params.money("sale_price") { p.salePrice = v }
        if let v = try params.oneOf("tax_status", ["taxable", "shipping", "none"]) { p.taxStatus = v }
        if let v = try params.string("tax_class") { p.taxClass = v }
        if let v = try params.string("description") { p.description = v }
        if let v = try params.bool("manage_stock") { p.manageStock = v }
        if params.has("stock_quantity") {
            if params.body["stock_quantity"]?.isNull == true {
                p.stockQuantity = nil
            } else {
                p.stockQuantity = try params.int("stock_quantity")
            }
        }
        if let v = try params.oneOf("stock_status", ["instock", "outofstock", "onbackorder"]) { p.stockStatus = v }
        if p.manageStock, p.stockQuantity == nil { p.stockQuantity = 0 }
        if p.manageStock { p.stockStatus = (p.stockQuantity ?? 0) > 0 ? "instock" : "outofstock" }
        if let meta = params.body["meta_data"] { try applyMeta(meta, to: &p.meta) }
    }

    private func parseAttributes(_ params: WooParams, variation: Bool) throws -> [WooAttribute]? {
        guard let items = try params.array("attributes") else { return nil }
        return try items.map { item in
            guard let o = item.object, let name = o["name"]?.string else { throw WooParams.invalid("attributes", "attributes[0][name] is not of type string.") }
            if variation { return WooAttribute(name: name, options: [o["option"]?.string ?? ""]) }
            return WooAttribute(name: name, options: (o["options"]?.array ?? []).compactMap(\.string))
        }
    }

    mutating func createProduct(_ params: WooParams) throws -> Int {
        if params.has("id") {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_product_exists", message: "Cannot create existing product.", status: 400)
        }
        let type = try params.oneOf("type", Self.productTypes) ?? "simple"
        let status = try params.oneOf("status", Self.productStatuses) ?? "publish"
        let name = try params.string("name") ?? ""
        let id = takePostID()
        var p = WooProductRecord(id: id, created: now, modified: now, name: name.isEmpty ? "Producto" : name)
        p.type = type
        p.status = status
        if let v = try params.string("short_description") { p.shortDescription = v }
        if let attributes = try parseAttributes(params, variation: false) { p.attributes = attributes }
        try applyCommonProductFields(params, to: &p)
        p.slug = uniqueSlug(try params.string("slug") ?? p.name, excluding: nil)
        products[id] = p
        fire("product", "created", id: id)
        return id
    }

    mutating func updateProduct(_ id: Int, _ params: WooParams) throws {
        guard var p = products[id], !p.isVariation else { throw Self.invalidID(.products) }
        if let v = try params.string("name") { p.name = v }
        if let v = try params.oneOf("type", Self.productTypes) { p.type = v }
        if let v = try params.oneOf("status", Self.productStatuses) { p.status = v }
        if let v = try params.string("short_description") { p.shortDescription = v }
        if let v = try params.string("slug") { p.slug = uniqueSlug(v, excluding: id) }
        if let attributes = try parseAttributes(params, variation: false) { p.attributes = attributes }
        try applyCommonProductFields(params, to: &p)
        p.modified = now
        products[id] = p
        fire("product", "updated", id: id)
    }

    mutating func deleteProduct(_ id: Int, force: Bool) throws -> JSONValue {
        guard var p = products[id], !p.isVariation else { throw Self.invalidID(.products) }
        if !force {
            guard p.status != "trash" else {
                throw WooCommerceEmulatorError(code: "woocommerce_rest_already_trashed", message: "The product has already been deleted.", status: 410)
            }
            p.statusBeforeTrash = p.status
            p.status = "trash"
            p.modified = now
            products[id] = p
            fire("product", "deleted", id: id)
            return productJSON(p)
        }
        let body = productJSON(p)
        for vid in p.variationIDs { products[vid] = nil }
        products[id] = nil
        fire("product", "deleted", id: id)
        return body
    }

    mutating func createVariation(parentID: Int, _ params: WooParams) throws -> Int {
        guard var parent = products[parentID], !parent.isVariation else { throw Self.invalidID(.products) }
        let id = takePostID()
        var v = WooProductRecord(id: id, parentID: parentID, created: now, modified: now, name: parent.name)
        v.type = "variation"
        v.status = try params.oneOf("status", Self.productStatuses) ?? "publish"
        if let attributes = try parseAttributes(params, variation: true) { v.attributes = attributes }
        try applyCommonProductFields(params, to: &v)
        let suffix = v.attributes.map { $0.options.first ?? "" }.joined(separator: ", ")
        v.name = suffix.isEmpty ? parent.name : "\(parent.name) - \(suffix)"
        products[id] = v
        parent.variationIDs.append(id)
        parent.modified = now
        products[parentID] = parent
        fire("product", "updated", id: parentID)
        return id
    }

    mutating func updateVariation(parentID: Int, id: Int, _ params: WooParams) throws {
        guard var v = products[id], v.parentID == parentID else { throw Self.invalidID(.variations(productID: parentID)) }
        if let status = try params.oneOf("status", Self.productStatuses) { v.status = status }
        if let attributes = try parseAttributes(params, variation: true) { v.attributes = attributes }
        try applyCommonProductFields(params, to: &v)
        v.modified = now
        products[id] = v
        touchParent(parentID)
    }

    /// A variation change saves its parent too, so `product.updated` fires for the parent.
    mutating func touchParent(_ parentID: Int) {
        guard var parent = products[parentID] else { return }
        parent.modified = now
        products[parentID] = parent
        fire("product", "updated", id: parentID)
    }

    mutating func deleteVariation(parentID: Int, id: Int, force: Bool) throws -> JSONValue {
        guard let v = products[id], v.parentID == parentID else { throw Self.invalidID(.variations(productID: parentID)) }
        guard force else { throw Self.trashNotSupported("Variations") }
        let body = variationJSON(v)
        products[id] = nil
        products[parentID]?.variationIDs.removeAll { $0 == id }
        touchParent(parentID)
        return body
    }

    /// Sets a managed stock level, keeping `stock_status` in step, and fires `product.updated`.
    mutating func setStock(_ id: Int, to quantity: Int) {
        guard var p = products[id] else { return }
        p.manageStock = true
        p.stockQuantity = quantity
        p.stockStatus = quantity > 0 ? "instock" : "outofstock"
        p.modified = now
        products[id] = p
        if p.isVariation { touchParent(p.parentID) } else { fire("product", "updated", id: id) }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
