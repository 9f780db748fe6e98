import Foundation
import SyncCore

/// Products and variants (each variant with its own inventory item at the primary location).
extension ShopifyShop {
    func sortedProducts(_ q: ShopifyListQuery) throws -> [ShopifyProduct] {
        let statuses = q.filter("status").map { Set($0.split(separator: ",").map(String.init)) }
        return try products.values.sorted { $0.id < $1.id }.filter { p in
            guard try passesCommonFilters(q, id: p.id, createdAt: p.createdAt, updatedAt: p.updatedAt) else { return false }
            if let statuses, !statuses.contains(p.status) { return false }
            if let h = q.filter("handle"), !h.split(separator: ",").map(String.init).contains(p.handle) { return false }
            if let v = q.filter("vendor"), v != p.vendor { return false }
            if let t = q.filter("product_type"), t != p.productType { return false }
            if let title = q.filter("title"), !p.title.lowercased().contains(title.lowercased()) { return false }
            return true
        }
    }

    func listProducts(_ request: StoreRequest) throws -> StoreResponse {
        let q = try listQuery(request)
        return page(try sortedProducts(q), id: \.id, render: { productJSON($0) }, q, root: "products", request: request)
    }

    func countProducts(_ request: StoreRequest) throws -> JSONValue {
        ["count": .integer(try sortedProducts(try listQuery(request)).count)]
    }

    func getProduct(_ id: Int) throws -> JSONValue {
        guard let p = products[id] else { throw Self.notFound() }
        return productJSON(p)
    }

    func variant(_ id: Int) -> ShopifyVariant? {
        guard let pid = variantOwner[id] else { return nil }
        return products[pid]?.variants.first { $0.id == id }
    }

    func handleFor(_ title: String, excluding id: Int?) -> String {
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var slug = ""
        for ch in folded {
            if ch.isLetter || ch.isNumber, ch.isASCII { slug.append(ch) } else if !slug.hasSuffix("-") { slug.append("-") }
        }
        slug = slug.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        if slug.isEmpty { slug = "producto" }
        var candidate = slug
        var n = 1
        while products.values.contains(where: { $0.handle == candidate && $0.id != id }) {
            candidate = "\(slug)-\(n)"
            n += 1
        }
        return candidate
    }

    mutating func createProduct(_ input: [String: JSONValue]) throws -> JSONValue {
        guard let title = input["title"]?.shopifyText, !title.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Self.unprocessable("title", "can't be blank")
        }
        let t = now
        var p = ShopifyProduct(id: newID(), title: title, vendor: configuration.shopName, productType: "", handle: "", createdAt: t, updatedAt: t, publishedAt: t)
        try applyProductFields(input, to: &p)
        if p.handle.isEmpty { p.handle = handleFor(title, excluding: nil) }
        if p.status != "active" { p.publishedAt = nil }
        var stock: [Int: Int] = [:]
        let variantInputs = try input["variants"].map { v -> [[String: JSONValue]] in
            guard let a = v.array else { throw Self.unprocessable("variants", "is invalid") }
            return try a.map { guard let o = $0.object else { throw Self.unprocessable("variants", "is invalid") }; return o }
        } ?? []
        for (i, vi) in (variantInputs.isEmpty ? [[:]] : variantInputs).enumerated() {
            var v = try makeVariant(vi, productID: p.id, position: i + 1, siblings: p.variants)
            if variantInputs.isEmpty { v.title = "Default Title" }
            stock[v.inventoryItemID] = try Self.optionalInt(vi, "inventory_quantity") ?? 0
            p.variants.append(v)
        }
        if let list = input["metafields"]?.array {
            for m in list {
                guard let o = m.object else { throw Self.unprocessable("metafields", "is invalid") }
                p.metafields.append(try makeMetafield(o, existing: p.metafields))
            }
        }
        products[p.id] = p
        for v in p.variants {
            variantOwner[v.id] = p.id
            inventoryItemVariant[v.inventoryItemID] = v.id
            levels[v.inventoryItemID] = ShopifyInventoryLevel(available: stock[v.inventoryItemID] ?? 0, updatedAt: t)
        }
        let json = productJSON(p)
        emit("products/create", json)
        return json
    }

    private func applyProductFields(_ input: [String: JSONValue], to p: inout ShopifyProduct) throws {
        if let v = try Self.optionalString(input, "title") {
            guard let title = v, !title.isEmpty else { throw Self.unprocessable("title", "can't be blank") }
            p.title = title
        }
        if let v = try Self.optionalString(input, "body_html") { p.bodyHTML = v }
        if let v = try Self.optionalString(input, "vendor") { p.vendor = v ?? "" }
        if let v = try Self.optionalString(input, "product_type") { p.productType = v ?? "" }
        if let v = input["tags"] { p.tags = try Self.normalizedTags(v) }
        if let v = try Self.optionalString(input, "status"), let s = v {
            guard ["active", "archived", "draft"].contains(s) else { throw Self.unprocessable("status", "is not included in the list") }
            p.status = s
        }
        if let v = try Self.optionalString(input, "handle"), let h = v, !h.isEmpty {
            if products.values.contains(where: { $0.handle == h && $0.id != p.id }) { throw Self.unprocessable("handle", "has already been taken") }
            p.handle = h
        }
    }

    /// A new variant from input; validates price, SKU and options.
    mutating func makeVariant(_ o: [String: JSONValue], productID: Int, position: Int, siblings: [ShopifyVariant]) throws -> ShopifyVariant {
        let t = now
        let priceValue = try Self.optionalMoney(o, "price")
        let title = o["option1"]?.shopifyText ?? o["title"]?.shopifyText ?? "Default Title"
        if siblings.contains(where: { $0.title == title }) {
            throw Self.unprocessable("base", "The variant '\(title)' already exists.")
        }
        var v = ShopifyVariant(
            id: newID(), productID: productID, title: title, sku: nil, price: (priceValue ?? nil) ?? .zero,
            inventoryItemID: 0, position: position, createdAt: t, updatedAt: t)
        v.inventoryItemID = newID()
        try applyVariantFields(o, to: &v)
        return v
    }

    func applyVariantFields(_ o: [String: JSONValue], to v: inout ShopifyVariant) throws {
        if let p = try Self.optionalMoney(o, "price") {
            guard let price = p else { throw Self.unprocessable("price", "can't be blank") }
            guard !price.isNegative else { throw Self.unprocessable("price", "must be greater than or equal to 0") }
            v.price = price
        }
        if let c = try Self.optionalMoney(o, "compare_at_price") { v.compareAtPrice = c }
        if let s = try Self.optionalString(o, "sku") { v.sku = (s?.isEmpty ?? true) ? nil : s }
        if let b = try Self.optionalString(o, "barcode") { v.barcode = b }
        if let t = try Self.optionalBool(o, "taxable") { v.taxable = t }
        if let g = try Self.optionalInt(o, "grams") { v.grams = g }
        if let m = try Self.optionalString(o, "inventory_management") {
            guard m == nil || m == "shopify" else { throw Self.unprocessable("inventory_management", "is not included in the list") }
            v.inventoryManagement = m
        }
        if let p = try Self.optionalString(o, "inventory_policy"), let policy = p {
            guard ["deny", "continue"].contains(policy) else { throw Self.unprocessable("inventory_policy", "is not included in the list") }
            v.inventoryPolicy = policy
        }
        if let title = o["option1"]?.shopifyText ?? o["title"]?.shopifyText { v.title = title }
    }

    mutating func updateProduct(_ id: Int, _ input: [String: JSONValue]) throws -> JSONValue {
        guard var p = products[id] else { throw Self.notFound() }
        let before = p
        let wasActive = p.status == "active"
        try applyProductFields(input, to: &p)
        var newStock: [Int: Int] = [:]
        if let list = input["variants"] {
            guard let array = list.array else { throw Self.unprocessable("variants", "is invalid") }
            var kept: [ShopifyVariant] = []
            for (i, item) in array.enumerated() {
                guard let o = item.object else { throw Self.unprocessable("variants", "is invalid") }
                if let vid = o["id"]?.int {
                    guard var v = p.variants.first(where: { $0.id == vid }) else { throw Self.notFound() }
                    try checkReadOnlyQuantity(o, v)
                    let old = v
                    try applyVariantFields(o, to: &v)
                    v.position = i + 1
                    if v != old { v.updatedAt = now }
                    kept.append(v)
                } else {
                    let v = try makeVariant(o, productID: id, position: i + 1, siblings: kept)
                    newStock[v.inventoryItemID] = try Self.optionalInt(o, "inventory_quantity") ?? 0
                    kept.append(v)
                }
            }
            guard !kept.isEmpty else { throw Self.unprocessable("variants", "can't be blank") }
            for gone in p.variants where !kept.contains(where: { $0.id == gone.id }) {
                variantOwner[gone.id] = nil
                inventoryItemVariant[gone.inventoryItemID] = nil
                levels[gone.inventoryItemID] = nil
            }
            p.variants = kept
        }
        if let list = input["metafields"]?.array {
            for m in list {
                guard let o = m.object else { throw Self.unprocessable("metafields", "is invalid") }
                let mf = try makeMetafield(o, existing: p.metafields)
                p.metafields.removeAll { $0.id == mf.id }
                p.metafields.append(mf)
            }
        }
        if !wasActive && p.status == "active" && p.publishedAt == nil { p.publishedAt = now }
        for v in p.variants where newStock[v.inventoryItemID] != nil {
            variantOwner[v.id] = id
            inventoryItemVariant[v.inventoryItemID] = v.id
            levels[v.inventoryItemID] = ShopifyInventoryLevel(available: newStock[v.inventoryItemID] ?? 0, updatedAt: now)
        }
        guard p != before else { return productJSON(p) }
        p.updatedAt = now
        products[id] = p
        let json = productJSON(p)
        emit("products/update", json)
        return json
    }

    /// `inventory_quantity` is read-only: sending a different value is refused with a pointer to
    /// `inventory_levels/set.json`; echoing the current value back is accepted.
    private func checkReadOnlyQuantity(_ o: [String: JSONValue], _ v: ShopifyVariant) throws {
        if let q = o["inventory_quantity"], !q.isNull, q.int != (levels[v.inventoryItemID]?.available ?? 0) {
            throw Self.unprocessable("inventory_quantity", "is read-only; change stock with inventory_levels/set.json or adjust.json")
        }
    }

    mutating func deleteProduct(_ id: Int) throws {
        guard let p = products.removeValue(forKey: id) else { throw Self.notFound() }
        for v in p.variants {
            variantOwner[v.id] = nil
            inventoryItemVariant[v.inventoryItemID] = nil
            levels[v.inventoryItemID] = nil
        }
        emit("products/delete", ["id": .integer(id)])
    }

    // MARK: Variants

    func listVariants(productID: Int, request: StoreRequest) throws -> JSONValue {
        guard let p = products[productID] else { throw Self.notFound() }
        let fields = request.queryValue("fields").map { $0.split(separator: ",").map(String.init) }
        return ["variants": .array(p.variants.map { Self.selectFields(variantJSON($0), fields) })]
    }

    func getVariant(_ id: Int) throws -> JSONValue {
        guard let v = variant(id) else { throw Self.notFound() }
        return variantJSON(v)
    }

    mutating func createVariant(productID: Int, _ input: [String: JSONValue]) throws -> JSONValue {
        guard var p = products[productID] else { throw Self.notFound() }
        // The first real variant replaces the placeholder "Default Title" variant, as in the admin.
        let replaceDefault = p.variants.count == 1 && p.variants[0].title == "Default Title"
        let siblings = replaceDefault ? [] : p.variants
        let v = try makeVariant(input, productID: productID, position: siblings.count + 1, siblings: siblings)
        if replaceDefault {
            let gone = p.variants[0]
            variantOwner[gone.id] = nil
            inventoryItemVariant[gone.inventoryItemID] = nil
            levels[gone.inventoryItemID] = nil
            p.variants = []
        }
        p.variants.append(v)
        p.updatedAt = now
        products[productID] = p
        variantOwner[v.id] = productID
        inventoryItemVariant[v.inventoryItemID] = v.id
        levels[v.inventoryItemID] = ShopifyInventoryLevel(available: try Self.optionalInt(input, "inventory_quantity") ?? 0, updatedAt: now)
        emit("products/update", productJSON(p))
        return variantJSON(v)
    }

    mutating func updateVariant(_ id: Int, _ input: [String: JSONValue]) throws -> JSONValue {
        guard let pid = variantOwner[id], var p = products[pid], let i = p.variants.firstIndex(where: { $0.id == id }) else { throw Self.notFound() }
        var v = p.variants[i]
        try checkReadOnlyQuantity(input, v)
        let old = v
        try applyVariantFields(input, to: &v)
        if p.variants.contains(where: { $0.id != id && $0.title == v.title }) {
            throw Self.unprocessable("base", "The variant '\(v.title)' already exists.")
        }
        guard v != old else { return variantJSON(v) }
        v.updatedAt = now
        p.variants[i] = v
        p.updatedAt = now
        products[pid] = p
        emit("products/update", productJSON(p))
        return variantJSON(v)
    }

    mutating func deleteVariant(productID: Int, variantID: Int) throws {
        guard var p = products[productID], let v = p.variants.first(where: { $0.id == variantID }) else { throw Self.notFound() }
        guard p.variants.count > 1 else { throw Self.unprocessable("base", "Cannot delete the last variant of a product; delete the product instead") }
        p.variants.removeAll { $0.id == variantID }
        for i in p.variants.indices { p.variants[i].position = i + 1 }
        p.updatedAt = now
        products[productID] = p
        variantOwner[variantID] = nil
        inventoryItemVariant[v.inventoryItemID] = nil
        levels[v.inventoryItemID] = nil
        emit("products/update", productJSON(p))
    }
}
