import SyncCore

/// Inventory levels at the primary location.
extension ShopifyShop {
    /// `inventory_levels.json?inventory_item_ids=1,2&location_ids=…` (one of the two is required).
    func listLevels(_ request: StoreRequest) throws -> JSONValue {
        let items = request.queryValue("inventory_item_ids").map { $0.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        let locations = request.queryValue("location_ids").map { $0.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        guard items != nil || locations != nil else {
            throw Self.badParameter("inventory_levels", "send inventory_item_ids or location_ids")
        }
        if let locations, !locations.contains(configuration.primaryLocationID) { return ["inventory_levels": []] }
        let ids = items ?? levels.keys.sorted()
        let limit = Int(request.queryValue("limit") ?? "") ?? 50
        let list = ids.compactMap { id in levels[id].map { levelJSON(inventoryItemID: id, $0) } }
        return ["inventory_levels": .array(Array(list.prefix(max(1, min(250, limit)))))]
    }

    private func levelTarget(_ input: [String: JSONValue]) throws -> Int {
        guard let location = input["location_id"]?.int else { throw Self.unprocessable("location_id", "can't be blank") }
        guard let item = input["inventory_item_id"]?.int else { throw Self.unprocessable("inventory_item_id", "can't be blank") }
        guard location == configuration.primaryLocationID else { throw Self.notFound() }
        guard levels[item] != nil else { throw Self.notFound() }
        return item
    }

    mutating func setLevel(_ input: [String: JSONValue]) throws -> JSONValue {
        let item = try levelTarget(input)
        guard let available = input["available"]?.int else { throw Self.unprocessable("available", "must be an integer") }
        changeStock(item, to: available)
        return ["inventory_level": levelJSON(inventoryItemID: item, levels[item]!)]
    }

    mutating func adjustLevel(_ input: [String: JSONValue]) throws -> JSONValue {
        let item = try levelTarget(input)
        guard let delta = input["available_adjustment"]?.int else { throw Self.unprocessable("available_adjustment", "must be an integer") }
        changeStock(item, to: (levels[item]?.available ?? 0) + delta)
        return ["inventory_level": levelJSON(inventoryItemID: item, levels[item]!)]
    }

    /// Sets a level, stamps the level, its variant and product, and fires `inventory_levels/update`.
    ///
    /// Not `products/update`: a sale or an adjustment changes the inventory level, not the product, and
    /// Shopify sends only the level's webhook (a sync that waits for `products/update` sees the stock
    /// only at its next pull).
    mutating func changeStock(_ item: Int, to available: Int) {
        let t = now
        levels[item] = ShopifyInventoryLevel(available: available, updatedAt: t)
        if let vid = inventoryItemVariant[item], let pid = variantOwner[vid], var p = products[pid],
           let i = p.variants.firstIndex(where: { $0.id == vid }) {
            p.variants[i].updatedAt = t
            p.updatedAt = t
            products[pid] = p
            emit("inventory_levels/update", [
                "inventory_item_id": .integer(item), "location_id": .integer(configuration.primaryLocationID),
                "available": .integer(available), "updated_at": time(t),
                "admin_graphql_api_id": .string("gid://shopify/InventoryLevel/\(configuration.primaryLocationID)?inventory_item_id=\(item)"),
            ])
        }
    }
}
