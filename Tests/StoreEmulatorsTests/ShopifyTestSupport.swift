import Foundation
import StoreEmulators
import SyncCore

/// A shop on a manual clock plus helpers to send Admin REST requests to it.
final class ShopifyHarness: Sendable {
    static let start: Int64 = ISO8601Time.parse("2026-11-29T16:20:05Z")!  // 10:20:05 in Mexico City
    let clock = ManualClock(milliseconds: ShopifyHarness.start)
    let shop: ShopifyEmulator

    init(seed: UInt64 = 7, rateLimit: Bool = false, configure: (inout ShopifyEmulatorConfiguration) -> Void = { _ in }) {
        var c = ShopifyEmulatorConfiguration()
        c.rateLimitEnabled = rateLimit
        configure(&c)
        shop = ShopifyEmulator(configuration: c, seed: seed, clock: clock)
    }

    struct Reply {
        var status: Int
        var json: JSONValue
        var headers: HeaderFields
        var raw: Data
    }

    func path(_ resource: String) -> String { "/admin/api/2024-10/\(resource)" }

    func request(_ method: StoreRequest.Method, _ resource: String, query: [QueryItem] = [], body: JSONValue? = nil, rawBody: Data? = nil,
                 headers: HeaderFields? = nil) -> StoreRequest {
        let h = headers ?? HeaderFields([("X-Shopify-Access-Token", shop.credentials.accessToken)])
        return StoreRequest(method: method, path: resource.hasPrefix("/") ? resource : path(resource), query: query, headers: h,
                            body: rawBody ?? body?.jsonData ?? Data())
    }

    func send(_ method: StoreRequest.Method, _ resource: String, query: [QueryItem] = [], body: JSONValue? = nil, rawBody: Data? = nil,
              headers: HeaderFields? = nil) -> Reply {
        let reply = shop.handle(request(method, resource, query: query, body: body, rawBody: rawBody, headers: headers))
        guard let r = reply.response else { return Reply(status: 0, json: .null, headers: HeaderFields(), raw: Data()) }
        return Reply(status: r.status, json: (try? JSONValue.parse(r.body)) ?? .null, headers: r.headers, raw: r.body)
    }

    /// The `page_info` of the `rel` link in a `Link` header.
    static func pageInfo(_ link: String?, rel: String) -> String? {
        guard let link else { return nil }
        for part in link.components(separatedBy: ", ") where part.hasSuffix("rel=\"\(rel)\"") {
            guard let start = part.range(of: "page_info="), let end = part[start.upperBound...].firstIndex(where: { $0 == "&" || $0 == ">" }) else { return nil }
            return String(part[start.upperBound..<end])
        }
        return nil
    }

    @discardableResult
    func createProduct(title: String = "Café de Chiapas", variants: [(String, String, String, Int)]) throws -> JSONValue {
        try shop.createProduct(title: title, variants: variants.map {
            ShopifyVariantInput(title: $0.0, sku: $0.1, price: try! ExactDecimal($0.2), stock: $0.3)
        })
    }

    func keys(_ v: JSONValue?) -> Set<String> { Set(v?.object?.keys.map { $0 } ?? []) }
}

/// Top-level keys of the objects in Tests/Fixtures/shopify (Shopify's own examples),
/// minus deprecated fields the emulator does not render (`total_price_usd`, `payment_details`).
enum ShopifyFixtureKeys {
    static let customer: Set<String> = [
        "accepts_marketing", "created_at", "email", "first_name", "id", "last_name", "last_order_id", "multipass_identifier", "note",
        "orders_count", "state", "tax_exempt", "total_spent", "updated_at", "verified_email", "tags", "last_order_name",
        "default_address", "addresses",
    ]
    static let address: Set<String> = [
        "address1", "address2", "city", "company", "country", "first_name", "id", "last_name", "phone", "province", "zip", "name",
        "province_code", "country_code", "country_name", "default",
    ]
    static let variant: Set<String> = [
        "price", "position", "created_at", "title", "requires_shipping", "updated_at", "inventory_policy", "compare_at_price",
        "inventory_quantity", "inventory_management", "taxable", "id", "grams", "sku", "option1", "option2", "fulfillment_service", "option3",
    ]
    static let product: Set<String> = [
        "body_html", "created_at", "handle", "id", "images", "options", "product_type", "published_at", "tags", "template_suffix",
        "title", "updated_at", "variants", "vendor",
    ]
    static let order: Set<String> = [
        "billing_address", "browser_ip", "buyer_accepts_marketing", "cancel_reason", "cancelled_at", "cart_token", "checkout_id",
        "checkout_token", "client_details", "closed_at", "confirmed", "created_at", "currency", "customer", "discount_codes", "email",
        "financial_status", "fulfillment_status", "fulfillments", "gateway", "id", "landing_site", "landing_site_ref", "line_items",
        "location_id", "name", "note", "note_attributes", "number", "order_number", "processing_method", "reference",
        "referring_site", "shipping_address", "shipping_lines", "source_name", "subtotal_price", "tax_lines", "taxes_included", "test",
        "token", "total_discounts", "total_line_items_price", "total_price", "total_tax", "total_weight", "updated_at", "user_id",
    ]
    static let lineItem: Set<String> = [
        "fulfillment_service", "fulfillment_status", "grams", "id", "price", "product_id", "quantity", "requires_shipping", "sku",
        "title", "variant_id", "variant_title", "vendor", "name", "variant_inventory_management", "properties", "product_exists",
    ]
    static let refund: Set<String> = ["id", "order_id", "created_at", "note", "restock", "user_id", "refund_line_items", "transactions", "order_adjustments"]
    static let shop: Set<String> = [
        "address1", "city", "country", "created_at", "currency", "domain", "email", "id", "money_format", "money_with_currency_format",
        "myshopify_domain", "name", "phone", "plan_name", "province", "public", "shop_owner", "source", "tax_shipping", "taxes_included",
        "timezone", "zip",
    ]
    static let transaction: Set<String> = [
        "amount", "authorization", "created_at", "currency", "device_id", "error_code", "gateway", "id", "kind", "location_id", "message",
        "order_id", "parent_id", "receipt", "source_name", "status", "test", "user_id",
    ]
    static let inventoryLevel: Set<String> = ["inventory_item_id", "location_id", "available", "updated_at"]
}
