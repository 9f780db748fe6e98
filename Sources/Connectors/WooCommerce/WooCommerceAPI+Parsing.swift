import Foundation
import SyncCore

/// Response parsers: WooCommerce JSON → canonical records.
///
/// Lists are bare arrays, singles bare objects. Times come from the `*_gmt` fields (UTC). Every
/// parser throws ``RecordDecodingError`` for malformed JSON or wrongly typed fields.
extension WooCommerceAPI {
    // MARK: Settings

    /// `settings/general/woocommerce_currency` → `"MXN"`.
    public static func currency(fromSetting body: Data) throws -> String {
        let r = try JSONFieldReader(try ResponseBody.json(body, expecting: "setting"), resource: "setting")
        return try r.requiredString("value")
    }

    /// `data/currencies/current` → `"MXN"`.
    public static func currency(fromCurrentCurrency body: Data) throws -> String {
        let r = try JSONFieldReader(try ResponseBody.json(body, expecting: "currency"), resource: "currency")
        return try r.requiredString("code")
    }

    /// `settings/tax/woocommerce_prices_include_tax` → `true` for `"yes"`.
    public static func pricesIncludeTax(fromSetting body: Data) throws -> Bool {
        let r = try JSONFieldReader(try ResponseBody.json(body, expecting: "setting"), resource: "setting")
        return try r.requiredString("value") == "yes"
    }

    /// The settings the engine needs, from the currency setting and (optionally) the tax setting.
    public static func shopSettings(currencySetting: Data, pricesIncludeTaxSetting: Data? = nil) throws -> ShopSettings {
        ShopSettings(
            store: .woocommerce, currency: try currency(fromSetting: currencySetting),
            taxesIncluded: try pricesIncludeTaxSetting.map(pricesIncludeTax(fromSetting:)))
    }

    /// `settings/{group}` list → option id → value (strings as-is, other values as JSON text).
    public static func settingValues(from body: Data) throws -> [String: String] {
        var out: [String: String] = [:]
        for item in try list(body, "settings") {
            let r = try JSONFieldReader(item, resource: "setting")
            let id = try r.requiredString("id")
            if let v = r.value("value") { out[id] = v.string ?? v.jsonText }
        }
        return out
    }

    // MARK: Taxes

    /// `taxes` → tax rates.
    public static func taxRates(from body: Data) throws -> [TaxRateRecord] {
        try list(body, "taxes").map(taxRate(json:))
    }

    /// `taxes/{id}` → tax rate.
    public static func taxRate(from body: Data) throws -> TaxRateRecord {
        try taxRate(json: ResponseBody.json(body, expecting: "tax"))
    }

    static func taxRate(json: JSONValue) throws -> TaxRateRecord {
        let r = try JSONFieldReader(json, resource: "tax")
        guard let percent = try r.decimal("rate") else { throw r.error("rate", .missingField, "is missing") }
        return TaxRateRecord(
            id: try r.requiredID("id"), percent: percent, name: try r.string("name") ?? "", taxClass: try r.string("class") ?? "standard",
            country: try r.string("country"), state: try r.string("state"), compound: try r.bool("compound") ?? false,
            shipping: try r.bool("shipping") ?? false, priority: try r.int("priority"))
    }

    // MARK: Customers

    /// `customers` → contacts.
    public static func contacts(from body: Data) throws -> [ContactRecord] {
        try list(body, "customers").map(contact(json:))
    }

    /// `customers/{id}` (or a create/update/delete response) → contact.
    public static func contact(from body: Data) throws -> ContactRecord {
        try contact(json: ResponseBody.json(body, expecting: "customer"))
    }

    /// One customer object (also a `customer.*` webhook payload). Phone, company and address come
    /// from `billing`.
    public static func contact(json: JSONValue) throws -> ContactRecord {
        let r = try JSONFieldReader(json, resource: "customer")
        let billing = try r.object("billing").map(parseAddress)
        return ContactRecord(
            store: .woocommerce, remoteID: try r.requiredID("id"), email: try r.string("email"),
            firstName: try r.string("first_name"), lastName: try r.string("last_name"), phone: billing?.phone,
            company: billing?.company,
            address: billing.map {
                PostalAddress(line1: $0.line1, line2: $0.line2, city: $0.city, region: $0.region, postalCode: $0.postalCode, countryCode: $0.countryCode)
            },
            marker: try marker(r), createdAt: try r.time("date_created_gmt"), updatedAt: try r.time("date_modified_gmt"))
    }

    // MARK: Products

    /// `products` → the raw product objects; pass each to ``productRecords(product:variations:)``
    /// (fetching ``variations(productID:page:perPage:)`` first for those ``isVariable(_:)``).
    public static func productObjects(from body: Data) throws -> [JSONValue] {
        try list(body, "products")
    }

    /// `products/{pid}/variations` → the raw variation objects.
    public static func variationObjects(from body: Data) throws -> [JSONValue] {
        try list(body, "variations")
    }

    /// Whether a product's sellable SKUs are its variations (`type == "variable"`).
    public static func isVariable(_ product: JSONValue) -> Bool {
        product["type"]?.string == "variable"
    }

    /// The sellable SKUs of one product: the product itself when simple, one record per variation
    /// when variable (`variations` are its variation objects; the parent's ids list is ignored).
    /// Grouped and external products sell nothing of their own and give no records.
    public static func productRecords(product: JSONValue, variations: [JSONValue] = []) throws -> [ProductRecord] {
        let p = try JSONFieldReader(product, resource: "product")
        switch try p.string("type") ?? "simple" {
        case "variable":
            return try variations.map { try productRecord(variation: JSONFieldReader($0, resource: "variation"), parent: p) }
        case "grouped", "external":
            return []
        default:
            let (price, compare) = try prices(p)
            return [ProductRecord(
                store: .woocommerce, remoteProductID: try p.requiredID("id"), sku: try p.string("sku"),
                name: try p.string("name") ?? "", price: price, compareAtPrice: compare,
                taxable: try (p.string("tax_status") ?? "taxable") == "taxable", active: try isPublished(p),
                barcode: try p.string("global_unique_id"), stockQuantity: try p.int("stock_quantity"),
                manageStock: try manageStock(p), marker: try marker(p), createdAt: try p.time("date_created_gmt"),
                updatedAt: try p.time("date_modified_gmt"))]
        }
    }

    /// `products/{pid}/variations/{id}` body → its record; `product` is the parent product object.
    public static func productRecord(variationFrom body: Data, product: JSONValue) throws -> ProductRecord {
        try productRecord(
            variation: JSONFieldReader(ResponseBody.json(body, expecting: "variation"), resource: "variation"),
            parent: JSONFieldReader(product, resource: "product"))
    }

    static func productRecord(variation v: JSONFieldReader, parent p: JSONFieldReader) throws -> ProductRecord {
        let title = try p.string("name") ?? ""
        let options = try v.objects("attributes").compactMap { try $0.string("option") }
        let variantTitle = options.isEmpty ? nil : options.joined(separator: ", ")
        let (price, compare) = try prices(v)
        let updated = [try p.time("date_modified_gmt"), try v.time("date_modified_gmt")].compactMap { $0 }.max()
        return ProductRecord(
            store: .woocommerce, remoteProductID: try p.requiredID("id"), remoteVariantID: try v.requiredID("id"),
            sku: try v.string("sku"), name: ProductRecord.displayName(productTitle: title, variantTitle: variantTitle),
            productTitle: title, variantTitle: variantTitle, price: price, compareAtPrice: compare,
            taxable: try (v.string("tax_status") ?? "taxable") == "taxable",
            active: try isPublished(p) && isPublished(v),
            barcode: try v.string("global_unique_id"), stockQuantity: try v.int("stock_quantity"), manageStock: try manageStock(v),
            marker: try marker(v) ?? marker(p), createdAt: try v.time("date_created_gmt") ?? p.time("date_created_gmt"), updatedAt: updated)
    }

    /// `status == "publish"` (missing reads as published). Some WooCommerce versions answer a
    /// variation's status as a boolean (`"status": true`, the old `visible` flag): true is published.
    static func isPublished(_ r: JSONFieldReader) throws -> Bool {
        if case .bool(let visible)? = r.value("status") { return visible }
        return try (r.string("status") ?? "publish") == "publish"
    }

    /// Selling price and compare-at price: on sale, the sale price sells and the regular price is
    /// the compare-at price.
    static func prices(_ r: JSONFieldReader) throws -> (ExactDecimal?, ExactDecimal?) {
        let regular = try r.decimal("regular_price")
        if let sale = try r.decimal("sale_price") { return (sale, regular) }
        return (try regular ?? r.decimal("price"), nil)
    }

    /// `manage_stock`: a boolean, or `"parent"` on a variation whose parent tracks stock.
    static func manageStock(_ r: JSONFieldReader) throws -> Bool {
        guard let v = r.value("manage_stock") else { return false }
        switch v {
        case .bool(let b): return b
        case .string("parent"): return true
        default: throw r.error("manage_stock", .wrongType, "expected a boolean or \"parent\", got \(v.typeName)")
        }
    }

    // MARK: Webhooks

    /// `webhooks` → subscriptions.
    public static func webhooks(from body: Data) throws -> [WebhookSubscription] {
        try list(body, "webhooks").map(webhook(json:))
    }

    /// `webhooks/{id}` (or a create response) → subscription.
    public static func webhook(from body: Data) throws -> WebhookSubscription {
        try webhook(json: ResponseBody.json(body, expecting: "webhook"))
    }

    static func webhook(json: JSONValue) throws -> WebhookSubscription {
        let r = try JSONFieldReader(json, resource: "webhook")
        return WebhookSubscription(
            id: try r.requiredID("id"), topic: try r.requiredString("topic"), address: try r.requiredString("delivery_url"),
            status: try r.string("status"))
    }

    // MARK: Batch

    /// The objects of a batch response, per operation (items that failed carry an `error` object).
    public struct BatchResult: Sendable, Hashable {
        /// The `create` list: each created object, or `{"id": 0, "error": {...}}` when refused.
        public var created: [JSONValue]
        /// The `update` list.
        public var updated: [JSONValue]
        /// The `delete` list: the deleted objects as they were.
        public var deleted: [JSONValue]
    }

    /// `{resource}/batch` response → its three lists.
    public static func batchResult(from body: Data) throws -> BatchResult {
        let r = try JSONFieldReader(try ResponseBody.json(body, expecting: "batch"), resource: "batch")
        return BatchResult(created: try r.array("create"), updated: try r.array("update"), deleted: try r.array("delete"))
    }

    // MARK: Helpers

    static func list(_ body: Data, _ what: String) throws -> [JSONValue] {
        try ResponseBody.list(try ResponseBody.json(body, expecting: what), envelope: nil, what: what)
    }

    /// Our marker in `meta_data` (key `_oorden_entity_id`), or `nil`.
    static func marker(_ r: JSONFieldReader) throws -> EntityID? {
        for m in try r.objects("meta_data") where try m.string("key") == markerKey {
            let value = m.value("value")?.string ?? ""
            guard let id = EntityID(hex: value) else {
                throw m.error("value", .invalidValue, "expected a 32-digit hex entity id, got \"\(value.prefix(40))\"")
            }
            return id
        }
        return nil
    }

    /// A WooCommerce address object (`billing`/`shipping`) → canonical address.
    static func parseAddress(_ a: JSONFieldReader) throws -> PostalAddress {
        PostalAddress(
            firstName: try a.string("first_name"), lastName: try a.string("last_name"), company: try a.string("company"),
            line1: try a.string("address_1"), line2: try a.string("address_2"), city: try a.string("city"),
            region: try a.string("state"), postalCode: try a.string("postcode"), countryCode: try a.string("country"),
            phone: try a.string("phone"))
    }
}
