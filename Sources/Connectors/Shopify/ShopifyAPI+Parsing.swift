import Foundation
import SyncCore

/// Response parsers: Shopify JSON → canonical records.
///
/// Every parser takes the body of a successful response (non-2xx responses are turned into
/// `StoreAPIError` by the client) and throws ``RecordDecodingError`` for malformed JSON or wrongly
/// typed fields. Lists accept the `{"customers": [...]}` envelope and, leniently, a bare array.
extension ShopifyAPI {
    // MARK: Shop

    /// `shop.json` → ``ShopSettings``.
    public static func shopSettings(from body: Data) throws -> ShopSettings {
        let doc = try ResponseBody.json(body, expecting: "shop")
        let r = try JSONFieldReader(try ResponseBody.single(doc, envelope: "shop", what: "shop"), resource: "shop")
        return ShopSettings(
            store: .shopify, currency: try r.requiredString("currency"), taxesIncluded: try r.bool("taxes_included"),
            ianaTimezone: try r.string("iana_timezone"), timezoneOffsetMinutes: try r.string("timezone").flatMap(gmtOffsetMinutes),
            primaryLocationID: try r.id("primary_location_id"), name: try r.string("name"),
            domain: try r.string("myshopify_domain") ?? r.string("domain"))
    }

    /// `(GMT-05:00) Eastern Time` → -300.
    static func gmtOffsetMinutes(_ text: String) -> Int? {
        guard let start = text.range(of: "GMT")?.upperBound else { return nil }
        let rest = text[start...].prefix(6)
        guard rest.count == 6, let sign = rest.first, sign == "+" || sign == "-",
              let h = Int(rest.dropFirst().prefix(2)), let m = Int(rest.suffix(2)) else { return nil }
        return (sign == "-" ? -1 : 1) * (h * 60 + m)
    }

    // MARK: Counts

    /// `{"count": N}` of any `count.json`.
    public static func count(from body: Data) throws -> Int {
        let r = try JSONFieldReader(try ResponseBody.json(body, expecting: "count"), resource: "count")
        guard let n = try r.int("count") else { throw r.error("count", .missingField, "is missing") }
        return n
    }

    // MARK: Customers

    /// `customers.json` or `customers/search.json` → contacts.
    public static func contacts(from body: Data) throws -> [ContactRecord] {
        try list(body, "customers").map(contact(json:))
    }

    /// `customers/{id}.json` (or a create/update response) → contact.
    public static func contact(from body: Data) throws -> ContactRecord {
        try contact(json: single(body, "customer"))
    }

    /// One customer object (also a `customers/*` webhook payload).
    public static func contact(json: JSONValue) throws -> ContactRecord {
        let r = try JSONFieldReader(json, resource: "customer")
        var address = try r.object("default_address")
        if address == nil {
            let all = try r.objects("addresses")
            address = try all.first(where: { try $0.bool("default") == true }) ?? all.first
        }
        let location = try address.map(parseAddress)
        return ContactRecord(
            store: .shopify, remoteID: try r.requiredID("id"), email: try r.string("email"),
            firstName: try r.string("first_name"), lastName: try r.string("last_name"),
            phone: try r.string("phone") ?? location?.phone, company: location?.company, note: try r.string("note"),
            address: location.map {
                PostalAddress(line1: $0.line1, line2: $0.line2, city: $0.city, region: $0.region, postalCode: $0.postalCode, countryCode: $0.countryCode)
            },
            marker: try inlineMarker(r), remoteAddressID: try address?.id("id"), createdAt: try r.time("created_at"),
            updatedAt: try r.time("updated_at"))
    }

    // MARK: Metafields

    /// Our marker from a metafields response (`{"metafields": [...]}` or `{"metafield": {...}}`):
    /// the value of namespace `oorden`, key `entity_id`, or `nil` when absent.
    public static func marker(fromMetafields body: Data) throws -> EntityID? {
        let doc = try ResponseBody.json(body, expecting: "metafields")
        var items: [JSONValue] = []
        for key in ["metafields", "metafield"] {
            switch doc[key] {
            case .array(let a)?: items += a
            case .object?: items.append(doc[key]!)
            default: break
            }
        }
        return try marker(in: items)
    }

    static func marker(in metafields: [JSONValue]) throws -> EntityID? {
        for m in metafields {
            let r = try JSONFieldReader(m, resource: "metafield")
            guard try r.string("namespace") == markerNamespace, try r.string("key") == markerKey else { continue }
            let value = try r.string("value") ?? ""
            guard let id = EntityID(hex: value) else {
                throw r.error("value", .invalidValue, "expected a 32-digit hex entity id, got \"\(value.prefix(40))\"")
            }
            return id
        }
        return nil
    }

    static func inlineMarker(_ r: JSONFieldReader) throws -> EntityID? {
        try marker(in: r.array("metafields"))
    }

    // MARK: Products

    /// `products.json` → one record per variant of every product.
    public static func productRecords(from body: Data) throws -> [ProductRecord] {
        try list(body, "products").flatMap(productRecords(product:))
    }

    /// `products/{id}.json` (or a create/update response) → one record per variant.
    public static func productRecordsOfProduct(from body: Data) throws -> [ProductRecord] {
        try productRecords(product: single(body, "product"))
    }

    /// One product object (also a `products/*` webhook payload) → one record per variant.
    ///
    /// A product without variants (`[]`, `null` or missing) is an error, not an empty list: Shopify
    /// sells every product through at least one variant, so such a record has no SKU, price or stock
    /// to sync and is held with the reason instead of being skipped without a word.
    public static func productRecords(product: JSONValue) throws -> [ProductRecord] {
        let p = try JSONFieldReader(product, resource: "product")
        let variants = try p.objects("variants")
        guard !variants.isEmpty else {
            throw p.error("variants", .missingField,
                          "is empty or missing: a Shopify product is sold through its variants, so it has no SKU, price or stock to sync; add a variant in Shopify and it syncs at the next complete scan")
        }
        return try variants.map { try productRecord(variant: $0, product: p) }
    }

    /// `variants/{id}.json` → the record of that variant; `product` is its product object (for the title and status).
    public static func productRecord(variantFrom body: Data, product: JSONValue) throws -> ProductRecord {
        let v = try JSONFieldReader(single(body, "variant"), resource: "variant")
        return try productRecord(variant: v, product: JSONFieldReader(product, resource: "product"))
    }

    /// `products/{pid}/variants.json` → records; `product` is their product object.
    public static func productRecords(variantsFrom body: Data, product: JSONValue) throws -> [ProductRecord] {
        let p = try JSONFieldReader(product, resource: "product")
        return try list(body, "variants").map { try productRecord(variant: JSONFieldReader($0, resource: "variant"), product: p) }
    }

    static func productRecord(variant v: JSONFieldReader, product p: JSONFieldReader) throws -> ProductRecord {
        let title = try p.string("title") ?? ""
        let rawVariantTitle = try v.string("title")
        let variantTitle = rawVariantTitle == "Default Title" ? nil : rawVariantTitle
        let status = try p.string("status") ?? "active"
        let updated = [try p.time("updated_at"), try v.time("updated_at")].compactMap { $0 }.max()
        return ProductRecord(
            store: .shopify, remoteProductID: try p.id("id") ?? v.requiredID("product_id"), remoteVariantID: try v.requiredID("id"),
            inventoryItemID: try v.id("inventory_item_id"), sku: try v.string("sku"),
            name: ProductRecord.displayName(productTitle: title, variantTitle: variantTitle), productTitle: title,
            variantTitle: variantTitle, price: try v.decimal("price"), compareAtPrice: try v.decimal("compare_at_price"),
            taxable: try v.bool("taxable") ?? true, active: status == "active", barcode: try v.string("barcode"),
            stockQuantity: try v.int("inventory_quantity"), manageStock: try v.string("inventory_management") == "shopify",
            marker: try inlineMarker(v) ?? inlineMarker(p), createdAt: try p.time("created_at") ?? v.time("created_at"), updatedAt: updated)
    }

    // MARK: Inventory

    /// `inventory_levels.json` → levels.
    public static func inventoryLevels(from body: Data) throws -> [InventoryLevelRecord] {
        try list(body, "inventory_levels").map(inventoryLevel(json:))
    }

    /// `inventory_levels/adjust.json` / `set.json` response → the new level.
    public static func inventoryLevel(from body: Data) throws -> InventoryLevelRecord {
        try inventoryLevel(json: single(body, "inventory_level"))
    }

    /// One level object (also the `inventory_levels/update` webhook payload).
    public static func inventoryLevel(json: JSONValue) throws -> InventoryLevelRecord {
        let r = try JSONFieldReader(json, resource: "inventory_level")
        return InventoryLevelRecord(
            inventoryItemID: try r.requiredID("inventory_item_id"), locationID: try r.requiredID("location_id"),
            available: try r.int("available"), updatedAt: try r.time("updated_at"))
    }

    // MARK: Webhooks

    /// `webhooks.json` → subscriptions.
    public static func webhooks(from body: Data) throws -> [WebhookSubscription] {
        try list(body, "webhooks").map(webhook(json:))
    }

    /// A webhook create response → the subscription.
    public static func webhook(from body: Data) throws -> WebhookSubscription {
        try webhook(json: single(body, "webhook"))
    }

    static func webhook(json: JSONValue) throws -> WebhookSubscription {
        let r = try JSONFieldReader(json, resource: "webhook")
        return WebhookSubscription(id: try r.requiredID("id"), topic: try r.requiredString("topic"), address: try r.requiredString("address"))
    }

    // MARK: Helpers

    static func list(_ body: Data, _ envelope: String) throws -> [JSONValue] {
        let doc = try ResponseBody.json(body, expecting: envelope)
        if case .array(let items) = doc { return items }
        return try ResponseBody.list(doc, envelope: envelope, what: envelope)
    }

    static func single(_ body: Data, _ envelope: String) throws -> JSONValue {
        try ResponseBody.single(try ResponseBody.json(body, expecting: envelope), envelope: envelope, what: envelope)
    }

    /// A Shopify address object → canonical address (with name, company, phone).
    static func parseAddress(_ a: JSONFieldReader) throws -> PostalAddress {
        PostalAddress(
            firstName: try a.string("first_name"), lastName: try a.string("last_name"), company: try a.string("company"),
            line1: try a.string("address1"), line2: try a.string("address2"), city: try a.string("city"),
            region: try a.string("province_code") ?? a.string("province"), postalCode: try a.string("zip"),
            countryCode: try a.string("country_code"), phone: try a.string("phone"))
    }
}
