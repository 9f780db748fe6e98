internal import GraphQL
import SyncCore

/// The GraphQL objects of one shop snapshot: the query root and every record type under it.
///
/// A value copy of ``ShopifyShop`` taken under the emulator's lock, so a query reads one
/// consistent state (REST and GraphQL share it) and resolvers never touch the lock.
struct ShopifyGraphQLRoot: Sendable {
    let shop: ShopifyShop

    var config: ShopifyEmulatorConfiguration { shop.configuration }

    func time(_ ms: Int64?) -> String? { ms.map { shop.timestamp($0) } }

    static func tags(_ s: String) -> [(any Sendable)?] {
        s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The query root.
    var query: ShopifyGraphQLObject {
        ShopifyGraphQLObject { name, args in
            switch name {
            case "shop": return shopObject
            case "currentAppInstallation":
                let scopes: [(any Sendable)?] = config.grantedAccessScopes.map { ShopifyGraphQLObject.values(["handle": $0, "description": $0]) }
                return ShopifyGraphQLObject.values(["id": ShopifyGlobalID.make("AppInstallation", config.firstID - 2), "accessScopes": scopes])
            case "locations": return try ShopifyGraphQLConnection.page([config.primaryLocationID], id: { $0 }, args: args) { _ in location }
            case "location":
                let id = args["id"].string
                return id == nil || ShopifyGlobalID.parse(id, type: "Location") == config.primaryLocationID ? location : nil
            case "customers": return try customers(args)
            case "customersCount": return ShopifyGraphQLObject.values(["count": try customerList(args).count])
            case "productsCount": return ShopifyGraphQLObject.values(["count": try productList(args).count])
            case "customer": return ShopifyGlobalID.parse(args["id"].string, type: "Customer").flatMap { shop.customers[$0] }.map(customer)
            case "products": return try products(args)
            case "product": return ShopifyGlobalID.parse(args["id"].string, type: "Product").flatMap { shop.products[$0] }.map(product)
            case "productVariant": return ShopifyGlobalID.parse(args["id"].string, type: "ProductVariant").flatMap(variant(id:))
            case "inventoryItem":
                guard let item = ShopifyGlobalID.parse(args["id"].string, type: "InventoryItem"), let vid = shop.inventoryItemVariant[item],
                      let pid = shop.variantOwner[vid], let p = shop.products[pid], let v = p.variants.first(where: { $0.id == vid }) else { return nil }
                return inventoryItem(v, of: p)
            case "orders": return try orders(args)
            case "order": return ShopifyGlobalID.parse(args["id"].string, type: "Order").flatMap { shop.orders[$0] }.map(order)
            case "bulkOperation":
                return ShopifyGlobalID.parse(args["id"].string, type: "BulkOperation").flatMap { shop.bulkExports[$0] }.map { $0.object(render: time) }
            case "currentBulkOperation":
                // The emulator runs no bulk mutations, so there is never a current one of that type.
                guard (args["type"].string ?? "QUERY") == "QUERY" else { return nil }
                return shop.currentBulkExport.map { $0.object(render: time) }
            case "webhookSubscriptions": return try webhookSubscriptions(args)
            case "webhookSubscription": return ShopifyGlobalID.parse(args["id"].string, type: "WebhookSubscription").flatMap { shop.webhooks[$0] }.map(webhookSubscription)
            default: return nil
            }
        }
    }

    var shopObject: ShopifyGraphQLObject {
        let offset = config.timezoneOffsetMinutes, sign = offset < 0 ? "-" : "+"
        return .values([
            "id": ShopifyGlobalID.make("Shop", config.firstID - 1), "name": config.shopName, "email": config.shopEmail,
            "myshopifyDomain": config.shopDomain, "currencyCode": Map.string(config.currency),
            "enabledPresentmentCurrencies": ([config.currency] + config.extraPresentmentCurrencies).map { Map.string($0) as (any Sendable)? },
            "ianaTimezone": config.ianaTimezone, "timezoneAbbreviation": "GMT\(sign)\(abs(offset) / 60)",
            "taxesIncluded": config.taxesIncluded, "createdAt": time(shop.shopCreatedAt),
        ])
    }

    var location: ShopifyGraphQLObject {
        .values(["id": ShopifyGlobalID.make("Location", config.primaryLocationID), "name": "Bodega principal", "isActive": true, "isPrimary": true])
    }

    // MARK: Customers

    func customers(_ args: Map) throws -> ShopifyGraphQLObject {
        try ShopifyGraphQLConnection.page(try customerList(args), id: \.id, args: args, node: customer)
    }

    /// The customers `args["query"]` selects, oldest id first (a connection's or a count's).
    func customerList(_ args: Map) throws -> [ShopifyCustomer] {
        let search = try ShopifySearchQuery(args["query"].string, fields: ["updated_at", "created_at", "email"])
        let offset = config.timezoneOffsetMinutes
        return try shop.customers.values.sorted { $0.id < $1.id }.filter {
            try search.matches(time: "updated_at", $0.updatedAt, offsetMinutes: offset)
                && search.matches(time: "created_at", $0.createdAt, offsetMinutes: offset) && search.matches(text: "email", $0.email)
        }
    }

    func customer(_ c: ShopifyCustomer) -> ShopifyGraphQLObject {
        ShopifyGraphQLObject { name, args in
            switch name {
            case "id": return ShopifyGlobalID.make("Customer", c.id)
            case "firstName": return c.firstName
            case "lastName": return c.lastName
            case "displayName":
                let full = [c.firstName, c.lastName].compactMap { $0 }.joined(separator: " ")
                return full.isEmpty ? (c.email ?? "") : full
            case "email": return c.email
            case "phone": return c.phone
            case "note": return c.note
            case "tags": return Self.tags(c.tags)
            case "state": return Map.string(c.state.uppercased())
            case "taxExempt": return c.taxExempt
            case "verifiedEmail": return c.verifiedEmail
            case "createdAt": return time(c.createdAt)
            case "updatedAt": return time(c.updatedAt)
            case "defaultAddress": return (c.addresses.first { $0["default"]?.bool == true } ?? c.addresses.first).map(address)
            case "addresses": return c.addresses.map { address($0) as (any Sendable)? }
            case "metafield": return metafield(c.metafields, args)
            default: return nil
            }
        }
    }

    func address(_ a: [String: JSONValue]) -> ShopifyGraphQLObject {
        ShopifyGraphQLObject { name, _ in
            switch name {
            case "id": return ShopifyGlobalID.make("MailingAddress", a["id"]?.int ?? 0)
            case "provinceCode": return a["province_code"]?.string
            case "countryCodeV2": return a["country_code"]?.string
            case "firstName": return a["first_name"]?.string
            case "lastName": return a["last_name"]?.string
            case "name":
                if let n = a["name"]?.string { return n }
                let n = [a["first_name"]?.string, a["last_name"]?.string].compactMap { $0 }.joined(separator: " ")
                return n.isEmpty ? nil : n
            default: return a[name]?.shopifyText
            }
        }
    }

    func metafield(_ all: [ShopifyMetafield], _ args: Map) -> ShopifyGraphQLObject? {
        let key = args["key"].string, namespace = args["namespace"].string
        guard let m = all.first(where: { $0.key == key && (namespace == nil || $0.namespace == namespace) }) else { return nil }
        return metafieldObject(m)
    }

    func metafieldObject(_ m: ShopifyMetafield) -> ShopifyGraphQLObject {
        .values(["id": ShopifyGlobalID.make("Metafield", m.id), "namespace": m.namespace, "key": m.key, "value": m.value,
                        "type": m.type, "createdAt": time(m.createdAt), "updatedAt": time(m.updatedAt)])
    }

    // MARK: Products, variants, inventory

    func products(_ args: Map) throws -> ShopifyGraphQLObject {
        try ShopifyGraphQLConnection.page(try productList(args), id: \.id, args: args, node: product)
    }

    /// The products `args["query"]` selects, oldest id first (a connection's or a count's).
    func productList(_ args: Map) throws -> [ShopifyProduct] {
        let search = try ShopifySearchQuery(args["query"].string, fields: ["updated_at", "created_at", "sku", "title", "status"])
        let offset = config.timezoneOffsetMinutes
        return try shop.products.values.sorted { $0.id < $1.id }.filter {
            try search.matches(time: "updated_at", $0.updatedAt, offsetMinutes: offset)
                && search.matches(time: "created_at", $0.createdAt, offsetMinutes: offset)
                && search.matches(anyText: "sku", $0.variants.map(\.sku)) && search.matches(text: "title", $0.title)
                && search.matches(text: "status", $0.status)
        }
    }

    func product(_ p: ShopifyProduct) -> ShopifyGraphQLObject {
        ShopifyGraphQLObject { name, args in
            switch name {
            case "id": return ShopifyGlobalID.make("Product", p.id)
            case "title": return p.title
            case "handle": return p.handle
            case "descriptionHtml": return p.bodyHTML ?? ""
            case "vendor": return p.vendor
            case "productType": return p.productType
            case "status": return Map.string(p.status.uppercased())
            case "tags": return Self.tags(p.tags)
            case "createdAt": return time(p.createdAt)
            case "updatedAt": return time(p.updatedAt)
            case "publishedAt": return time(p.publishedAt)
            case "variantsCount": return ShopifyGraphQLObject.values(["count": p.variants.count])
            case "variants": return try ShopifyGraphQLConnection.page(p.variants.sorted { $0.id < $1.id }, id: \.id, args: args) { variant($0, of: p) }
            case "metafield": return metafield(p.metafields, args)
            default: return nil
            }
        }
    }

    func variant(id: Int) -> ShopifyGraphQLObject? {
        guard let pid = shop.variantOwner[id], let p = shop.products[pid], let v = p.variants.first(where: { $0.id == id }) else { return nil }
        return variant(v, of: p)
    }

    func variant(_ v: ShopifyVariant, of p: ShopifyProduct) -> ShopifyGraphQLObject {
        ShopifyGraphQLObject { name, _ in
            switch name {
            case "id": return ShopifyGlobalID.make("ProductVariant", v.id)
            case "title": return v.title
            case "displayName": return "\(p.title) - \(v.title)"
            case "sku": return v.sku
            case "price": return v.price.formatted(scale: 2)
            case "compareAtPrice": return v.compareAtPrice?.formatted(scale: 2)
            case "barcode": return v.barcode
            case "taxable": return v.taxable
            case "position": return v.position
            case "createdAt": return time(v.createdAt)
            case "updatedAt": return time(v.updatedAt)
            case "inventoryQuantity": return shop.levels[v.inventoryItemID]?.available
            case "product": return product(p)
            case "inventoryItem": return inventoryItem(v, of: p)
            default: return nil
            }
        }
    }

    func inventoryItem(_ v: ShopifyVariant, of p: ShopifyProduct) -> ShopifyGraphQLObject {
        ShopifyGraphQLObject { name, args in
            switch name {
            case "id": return ShopifyGlobalID.make("InventoryItem", v.inventoryItemID)
            case "sku": return v.sku
            case "tracked": return v.inventoryManagement == "shopify"
            case "variant": return variant(v, of: p)
            case "inventoryLevel":
                guard ShopifyGlobalID.parse(args["locationId"].string, type: "Location") == config.primaryLocationID,
                      let level = shop.levels[v.inventoryItemID] else { return nil }
                return inventoryLevel(itemID: v.inventoryItemID, level)
            default: return nil
            }
        }
    }

    /// The quantity names Shopify defines; the emulator holds only `available` stock (nothing is
    /// committed, reserved, incoming or set aside), so `on_hand` equals it and the others are 0.
    static let quantityNames: Set<String> = ["available", "on_hand", "committed", "reserved", "incoming", "damaged", "quality_control", "safety_stock"]

    func inventoryLevel(itemID: Int, _ level: ShopifyInventoryLevel) -> ShopifyGraphQLObject {
        let levelID = "gid://shopify/InventoryLevel/\(itemID)?inventory_item_id=\(itemID)"
        return ShopifyGraphQLObject { name, args in
            switch name {
            case "id": return levelID
            case "location": return location
            case "updatedAt": return time(level.updatedAt)
            case "quantities":
                let names = args["names"].array?.compactMap(\.string) ?? []
                return try names.map { n -> (any Sendable)? in
                    guard Self.quantityNames.contains(n) else {
                        throw ShopifyGraphQLError(message: "'\(n)' is not a valid quantity name; use one of \(Self.quantityNames.sorted().joined(separator: ", "))")
                    }
                    let q = n == "available" || n == "on_hand" ? level.available : 0
                    return ShopifyGraphQLObject.values(["id": levelID + "&name=\(n)", "name": n, "quantity": q, "updatedAt": time(level.updatedAt)])
                }
            default: return nil
            }
        }
    }
}
